using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;
using Hikyaku.Silo.Faults;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;

namespace Hikyaku.EndToEnd.Tests.Faults;

/// <summary>How each exception that reaches the API edge is answered: 503 with Retry-After when something is unavailable, else 500.</summary>
public sealed class FaultAnswerTests
{
    public static TheoryData<string, int, string?> Cases => new()
    {
        { "silo unavailable", 503, "cluster" },
        { "message rejected", 503, "cluster" },
        { "connection to silo failed", 503, "cluster" },
        { "gateway too busy", 503, "cluster" },
        { "silo shutting down", 503, "cluster" },
        { "Orleans response timeout", 503, "cluster" },
        { "API deadline", 503, "cluster" },
        { "canceled operation", 503, "cluster" },
        { "rejection inside an aggregate", 503, "cluster" },
        { "PostgreSQL refuses connections", 503, "event-store" },
        { "PostgreSQL connection lost, wrapped", 503, "event-store" },
        { "PostgreSQL admin shutdown 57P01", 503, "event-store" },
        { "PostgreSQL cannot connect now 57P03", 503, "event-store" },
        { "PostgreSQL connection failure 08006", 503, "event-store" },
        { "PostgreSQL too many connections 53300", 503, "event-store" },
        { "PostgreSQL shutdown from another silo", 503, "event-store" },
        { "SQLite busy", 503, "event-store" },
        { "SQLite locked", 503, "event-store" },
        { "PostgreSQL unique violation 23505", 500, null },
        { "PostgreSQL unique violation from another silo", 500, null },
        { "SQLite constraint", 500, null },
        { "a bug", 500, null },
    };

    private static Exception Make(string name) => name switch
    {
        "silo unavailable" => new SiloUnavailableException("silo S127.0.0.1:11111:1 is dead"),
        "message rejected" => Internal<OrleansMessageRejectionException>("Forwarding failed: tried to forward message for 0 times"),
        "connection to silo failed" => new ConnectionFailedException("Unable to connect to endpoint S127.0.0.1:11111:1"),
        "gateway too busy" => new GatewayTooBusyException("too busy"),
        "silo shutting down" => Internal<OrleansLifecycleCanceledException>("Lifecycle start canceled by request"),
        "Orleans response timeout" => new TimeoutException("Response did not arrive on time in 00:00:30 for message"),
        "API deadline" => new ApiDeadlineExceededException("ITenantGrain.VerifyApiKey", TimeSpan.FromSeconds(4)),
        "canceled operation" => new OperationCanceledException(),
        "rejection inside an aggregate" => new AggregateException(new InvalidOperationException("x"), new SiloUnavailableException("dead")),
        "PostgreSQL refuses connections" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        "PostgreSQL connection lost, wrapped" => new InvalidOperationException("append failed", new NpgsqlException("Exception while reading from stream", new IOException("reset"))),
        "PostgreSQL admin shutdown 57P01" => Postgres(PostgresErrorCodes.AdminShutdown),
        "PostgreSQL cannot connect now 57P03" => Postgres(PostgresErrorCodes.CannotConnectNow),
        "PostgreSQL connection failure 08006" => Postgres(PostgresErrorCodes.ConnectionFailure),
        "PostgreSQL too many connections 53300" => Postgres(PostgresErrorCodes.TooManyConnections),
        "PostgreSQL shutdown from another silo" => Fallback("Npgsql.PostgresException", "57P01: terminating connection due to administrator command"),
        "SQLite busy" => new SqliteException("SQLite Error 5: 'database is locked'.", 5),
        "SQLite locked" => new SqliteException("SQLite Error 6: 'database table is locked'.", 6),
        "PostgreSQL unique violation 23505" => Postgres(PostgresErrorCodes.UniqueViolation),
        "PostgreSQL unique violation from another silo" => Fallback("Npgsql.PostgresException", "23505: duplicate key value violates unique constraint"),
        "SQLite constraint" => new SqliteException("SQLite Error 19: 'UNIQUE constraint failed'.", 19),
        "a bug" => new InvalidOperationException("tenant route reached without a tenant principal"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_exception_is_answered_as_problem_json_with_503_and_Retry_After_only_when_something_is_unavailable(string name, int status, string? component)
    {
        var (context, problem) = await Answer(Make(name));

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString(), StringComparison.Ordinal);
        if (status == 503)
        {
            Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
            Assert.Equal(component, problem.GetProperty("unavailable").GetString());
            Assert.Contains("Retry in 5 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(context.Response.Headers.RetryAfter.ToString());
            Assert.False(problem.TryGetProperty("unavailable", out _));
        }
    }

    [Fact]
    public async Task A_missed_deadline_names_the_call_and_warns_that_its_change_may_still_land()
    {
        var (_, problem) = await Answer(new ApiDeadlineExceededException("ISubscriberGrain.Subscribe", TimeSpan.FromSeconds(4)));

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith("ISubscriberGrain.Subscribe did not answer within 4 s", detail, StringComparison.Ordinal);
        Assert.Contains("read before you retry", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_outage_says_which_store_is_unavailable()
    {
        var (_, problem) = await Answer(Postgres(PostgresErrorCodes.AdminShutdown));

        Assert.StartsWith("The event store (PostgreSQL) is unavailable: SQLSTATE 57P01", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_database_connection_does_not_show_the_database_address_to_the_client()
    {
        var (_, problem) = await Answer(new NpgsqlException("Failed to connect to 10.0.0.5:5432", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.DoesNotContain("10.0.0.5", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal("The event store (PostgreSQL) is unavailable: it cannot be connected to, or the connection was lost. Retry in 5 s.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_missed_deadline_while_the_event_store_does_not_answer_names_the_event_store()
    {
        var (context, problem) = await Answer(new ApiDeadlineExceededException("ISubscriberGrain.Subscribe", TimeSpan.FromSeconds(4)), storeAnswers: false);

        Assert.Equal((503, "event-store"), (context.Response.StatusCode, problem.GetProperty("unavailable").GetString()));
        Assert.StartsWith("ISubscriberGrain.Subscribe did not answer within 4 s: the event store (PostgreSQL) does not answer.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_event_store_counts_as_not_answering()
    {
        var check = new EventStoreCheck("PostgreSQL", cancel => Task.Delay(TimeSpan.FromSeconds(30), cancel), TimeProvider.System);

        Assert.False(await check.AnswersAsync());
    }

    private static async Task<(HttpContext Context, JsonElement Problem)> Answer(Exception exception, bool storeAnswers = true)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/v1/magazines/news";
        context.Response.Body = new MemoryStream();
        var store = new EventStoreCheck("PostgreSQL", _ => storeAnswers ? Task.CompletedTask : Task.FromException(new NpgsqlException("Failed to connect")), TimeProvider.System);
        var handler = new FaultExceptionHandler(new FaultAnswers(TimeSpan.FromSeconds(5)), store, NullLogger<FaultExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));

        context.Response.Body.Position = 0;
        return (context, (await JsonDocument.ParseAsync(context.Response.Body)).RootElement.Clone());
    }

    private static PostgresException Postgres(string sqlState) => new("message text", "FATAL", "FATAL", sqlState);

    // What Orleans makes of an exception of a type it does not serialize, thrown in a grain on another silo.
    private static UnavailableExceptionFallbackException Fallback(string type, string message)
    {
        var e = new UnavailableExceptionFallbackException(message, null!);
        typeof(UnavailableExceptionFallbackException).GetProperty(nameof(e.ExceptionType))!.SetValue(e, type);
        return e;
    }

    // Orleans throws these with constructors it does not make public.
    private static T Internal<T>(string message) where T : Exception =>
        (T)Activator.CreateInstance(typeof(T), BindingFlags.NonPublic | BindingFlags.Instance, null, [message], null)!;
}
