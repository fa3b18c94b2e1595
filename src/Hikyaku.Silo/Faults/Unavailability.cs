using Microsoft.Data.Sqlite;
using Npgsql;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;

namespace Hikyaku.Silo.Faults;

/// <summary>What a request could not reach: the answer a client gets is 503 with this detail, never 500.</summary>
/// <param name="Component"><c>cluster</c> or <c>event-store</c>: the problem's <c>unavailable</c> member.</param>
/// <param name="Detail">What is unavailable, in words a client can act on.</param>
public sealed record Unavailability(string Component, string Detail)
{
    public const string Cluster = "cluster";
    public const string EventStore = "event-store";

    /// <summary>
    /// Whether <paramref name="exception"/> (or an exception it wraps) says that a part of the system is unavailable
    /// for now, rather than that the request or the code is wrong; null when it does not.
    /// </summary>
    /// <remarks>
    /// The exceptions are the ones the failures throw at the API edge: Orleans' message rejections and timeouts while a
    /// silo is down or the cluster moves its grains (SIGKILL of a silo), <see cref="ApiDeadlineExceededException"/>
    /// when a grain did not answer in time (its activation waits for the event store, or it waits behind a write that
    /// the event store does not take), and the database drivers' connection errors when an endpoint reads the store
    /// itself. An Npgsql or SQLite exception thrown inside a grain on another silo arrives as Orleans'
    /// <see cref="UnavailableExceptionFallbackException"/>, which keeps its type name and message.
    /// </remarks>
    public static Unavailability? Of(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Of).FirstOrDefault(u => u is not null);
            }

            if (Direct(e) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>
    /// A grain call missed the API deadline and the event store does not answer either: the grain was waiting for it
    /// (an activation reading its stream, or a write the store does not take).
    /// </summary>
    public static Unavailability StoreSilent(ApiDeadlineExceededException missed, string backend) => new(EventStore,
        $"{missed.Call} did not answer within {missed.Limit.TotalSeconds:0.#} s: the event store ({backend}) does not answer. " +
        "A change this request asked for may still be applied when it recovers, so read before you retry.");

    /// <summary>The first exception of type <typeparamref name="T"/> in <paramref name="exception"/> or what it wraps.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(Find<T>).FirstOrDefault(f => f is not null);
            }
        }

        return null;
    }

    private static Unavailability? Direct(Exception e) => e switch
    {
        ApiDeadlineExceededException deadline => new(Cluster,
            $"{deadline.Call} did not answer within {deadline.Limit.TotalSeconds:0.#} s: a silo or the event store is unavailable. " +
            "A change this request asked for may still be applied when it recovers, so read before you retry."),
        SiloUnavailableException => new(Cluster, "The silo that holds this data is unavailable; the cluster is moving its work to another silo."),
        OrleansMessageRejectionException or ConnectionFailedException or GatewayTooBusyException => new(Cluster,
            "The cluster could not deliver this request to the silo that holds the data (a silo failed or is overloaded)."),
        OrleansLifecycleCanceledException => new(Cluster, "This silo is starting or shutting down."),
        TimeoutException or OperationCanceledException => new(Cluster, "The cluster did not answer in time: a silo or the event store is unavailable."),
        PostgresException pg => IsUnavailable(pg.SqlState) ? Store("PostgreSQL", $"SQLSTATE {pg.SqlState}") : null,
        NpgsqlException { IsTransient: true } => Store("PostgreSQL", LostConnection),
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => Store("SQLite", Busy),
        UnavailableExceptionFallbackException fallback => FromFallback(fallback),
        _ => null,
    };

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // The driver's own message names the database's host and port: it goes to the log, not to the client.
    private const string LostConnection = "it cannot be connected to, or the connection was lost";
    private const string Busy = "the database is locked by another writer";

    private static Unavailability Store(string backend, string reason) =>
        new(EventStore, $"The event store ({backend}) is unavailable: {reason}.");

    /// <summary>
    /// The SQLSTATEs of a server that cannot be reached or is going away: class 08 (connection exception), 53
    /// (insufficient resources: too many connections, out of memory or disk), 57P01–57P03 (admin or crash shutdown,
    /// cannot connect now). Everything else is a statement's own error and stays a 500.
    /// </summary>
    public static bool IsUnavailable(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;

    // The type and message survive the trip from another silo; PostgresException's message starts with its SQLSTATE,
    // SqliteException's with "SQLite Error {code}:".
    private static Unavailability? FromFallback(UnavailableExceptionFallbackException e) => e.ExceptionType switch
    {
        "Npgsql.PostgresException" when e.Message.Split(':', 2)[0].Trim() is { Length: 5 } state && IsUnavailable(state) => Store("PostgreSQL", $"SQLSTATE {state}"),
        "Npgsql.NpgsqlException" => Store("PostgreSQL", LostConnection),
        "Microsoft.Data.Sqlite.SqliteException" when e.Message.StartsWith("SQLite Error 5:", StringComparison.Ordinal) || e.Message.StartsWith("SQLite Error 6:", StringComparison.Ordinal) =>
            Store("SQLite", Busy),
        _ => null,
    };
}
