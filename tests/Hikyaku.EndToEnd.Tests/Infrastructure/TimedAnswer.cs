using System.Diagnostics;

namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>One HTTP answer as a client saw it during a fault: when it was asked and answered, and what came back.</summary>
/// <param name="Status">The status code; 0 when no answer came (connection refused, client timeout).</param>
/// <param name="RetryAfter">The <c>Retry-After</c> header in seconds, when there was one.</param>
public sealed record TimedAnswer(TimeSpan Start, TimeSpan End, int Status, string? MediaType, int? RetryAfter, string Body)
{
    public TimeSpan Duration => End - Start;

    public override string ToString() => $"{Status} at {Start.TotalSeconds:F1} s after {Duration.TotalSeconds:F2} s, Retry-After {RetryAfter?.ToString() ?? "none"}: {Body}";

    public static Task<TimedAnswer> GetAsync(HttpClient client, string path, Stopwatch clock) => SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, path), clock);

    /// <summary>Sends a request and records its answer; times are read from <paramref name="clock"/>.</summary>
    public static async Task<TimedAnswer> SendAsync(HttpClient client, Func<HttpRequestMessage> request, Stopwatch clock)
    {
        var start = clock.Elapsed;
        try
        {
            using var message = request();
            using var response = await client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)delta.TotalSeconds : null;
            return new TimedAnswer(start, clock.Elapsed, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, retryAfter, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new TimedAnswer(start, clock.Elapsed, 0, null, null, "no answer: " + e.Message);
        }
    }

    /// <summary>Asserts a 503 problem+json with a detail, a Retry-After of a few seconds and no stack trace.</summary>
    public void AssertUnavailable()
    {
        Assert.True(Status == 503, $"expected 503: {this}");
        Assert.Equal("application/problem+json", MediaType);
        Assert.True(RetryAfter is >= 1 and <= 30, $"Retry-After: {this}");
        Assert.Contains("\"detail\"", Body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", Body, StringComparison.Ordinal);
    }
}
