namespace Hikyaku.Silo.Hosting;

/// <summary>Where and how the silo keeps its data. Section <c>Hikyaku</c>; the key names are fixed by API.md.</summary>
public sealed class HikyakuOptions
{
    public const string Section = "Hikyaku";

    /// <summary>The admin bearer key. Default: generated at first start, stored in <see cref="DataDir"/>, printed once.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Where the embedded default keeps its SQLite store, reminders and key. Default <c>./data</c>.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary><c>Sqlite</c> (embedded, one silo) or <c>Postgres</c> (clustered, <c>ConnectionStrings:Hikyaku</c>).</summary>
    public StorageKind Storage { get; set; } = StorageKind.Sqlite;

    public ClusterOptions Cluster { get; set; } = new();

    public ApiLimits Api { get; set; } = new();

    public sealed class ClusterOptions
    {
        /// <summary>Silo-to-silo port. Default 11111.</summary>
        public int SiloPort { get; set; } = 11111;

        /// <summary>Client gateway port. Default 30000.</summary>
        public int GatewayPort { get; set; } = 30000;

        /// <summary>Cluster id shared by the silos of one deployment. Default <c>hikyaku</c>.</summary>
        public string ClusterId { get; set; } = "hikyaku";

        /// <summary>The address silos advertise to each other; default loopback for the embedded mode.</summary>
        public string? AdvertisedIp { get; set; }
    }

    public sealed class ApiLimits
    {
        /// <summary>Largest JSON request body. Default 1 MiB.</summary>
        public long MaxBodyBytes { get; set; } = 1 << 20;

        /// <summary>Largest import body (CSV or JSON). Default 64 MiB (about a million rows).</summary>
        public long MaxImportBytes { get; set; } = 64L << 20;

        /// <summary>
        /// How long each grain call an API request makes may take before the request answers 503. Default 4 s, so a
        /// request answers within 5 s when a silo or the event store is unavailable. Between 1 and 25 s (below Orleans'
        /// 30 s response timeout).
        /// </summary>
        public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(4);

        /// <summary>The <c>Retry-After</c> of a 503. Default 5 s. Between 1 s and 5 minutes.</summary>
        public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
    }

    public IEnumerable<string> Validate(string? postgresConnectionString)
    {
        if (Storage == StorageKind.Postgres && string.IsNullOrWhiteSpace(postgresConnectionString))
        {
            yield return "Hikyaku:Storage is Postgres but ConnectionStrings:Hikyaku is not set";
        }

        if (Cluster.SiloPort is < 1 or > 65535 || Cluster.GatewayPort is < 1 or > 65535 || Cluster.SiloPort == Cluster.GatewayPort)
        {
            yield return "Hikyaku:Cluster:SiloPort and GatewayPort must be distinct ports between 1 and 65535";
        }

        if (AdminKey is { Length: > 0 and < 16 })
        {
            yield return "Hikyaku:AdminKey must be at least 16 characters";
        }

        if (Api.MaxBodyBytes < 1024 || Api.MaxImportBytes < Api.MaxBodyBytes)
        {
            yield return "Hikyaku:Api:MaxBodyBytes must be at least 1024 and MaxImportBytes at least MaxBodyBytes";
        }

        if (Api.Deadline < TimeSpan.FromSeconds(1) || Api.Deadline > TimeSpan.FromSeconds(25))
        {
            yield return "Hikyaku:Api:Deadline must be between 00:00:01 and 00:00:25";
        }

        if (Api.RetryAfter < TimeSpan.FromSeconds(1) || Api.RetryAfter > TimeSpan.FromMinutes(5))
        {
            yield return "Hikyaku:Api:RetryAfter must be between 00:00:01 and 00:05:00";
        }
    }
}

public enum StorageKind
{
    Sqlite,
    Postgres,
}
