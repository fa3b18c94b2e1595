using System.Net;
using System.Text;
using Hikyaku.EndToEnd.Tests.Infrastructure;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class ImportLimitsTests(SmallLimitsSiloFixture fixture) : IClassFixture<SmallLimitsSiloFixture>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_import_over_the_limit_is_413_chunked_or_not_and_imports_nothing(bool chunked)
    {
        var t = await fixture.Silo.CreateTenant(chunked ? "big-chunked" : "big-sized", "news");
        var csv = new StringBuilder("email,name\n");
        for (var i = 0; csv.Length <= 3 * SmallLimitsSiloFixture.MaxImportBytes; i++)
        {
            csv.Append("reader").Append(i).Append("@example.jp,Reader ").Append(i).Append('\n');
        }

        var answer = await Send(t, "/v1/magazines/news/subscribers/import", csv.ToString(), "text/csv", chunked);

        var problem = await answer.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains($"{SmallLimitsSiloFixture.MaxImportBytes} bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await (await t.GetAsync("/v1/magazines/news")).Json()).GetProperty("subscriberCounts").GetProperty("active").GetInt32());
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 2)]
    [InlineData(true, 5)]
    [InlineData(false, 5)]
    public async Task A_json_body_over_the_limit_is_413_chunked_or_not_and_changes_nothing(bool chunked, int timesTheImportLimit)
    {
        var t = await fixture.Silo.CreateTenant($"json-{chunked}-{timesTheImportLimit}".ToLowerInvariant(), "news");
        var name = new string('x', timesTheImportLimit * SmallLimitsSiloFixture.MaxImportBytes);

        var answer = await Send(t, "/v1/magazines/news/subscribers", $$"""{"email":"a@example.jp","name":"{{name}}"}""", "application/json", chunked);

        await answer.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        await (await t.GetAsync("/v1/magazines/news/subscribers/a@example.jp")).AssertProblem(HttpStatusCode.NotFound);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string path, string body, string contentType, bool chunked)
    {
        var content = new StringContent(body, Encoding.UTF8, contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = chunked ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))) : content };
        if (chunked)
        {
            request.Content.Headers.ContentType = content.Headers.ContentType;
            request.Headers.TransferEncodingChunked = true;
        }

        return await client.SendAsync(request);
    }
}
