// Cluster tests start real silos on fixed loopback ports and share one PostgreSQL server: run them one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
