using System.Net;
using System.Text.Json;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Hikyaku.EndToEnd.Tests;

[Collection(SiloCollection.Name)]
public sealed class ProjectionRebuildTests(EmbeddedSiloFixture fixture) : IClassFixture<EmbeddedSiloFixture>
{
    [Fact]
    public async Task An_operator_rebuilds_lost_and_corrupted_subscriber_rows_from_the_log_through_the_admin_route()
    {
        var t = await fixture.Silo.CreateTenant("rebuild", "news");
        foreach (var email in (string[])["a@example.jp", "b@example.jp", "c@example.jp"])
        {
            Assert.Equal(HttpStatusCode.Created, (await t.PostJson("/v1/magazines/news/subscribers", new { email })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await t.DeleteAsync("/v1/magazines/news/subscribers/b@example.jp")).StatusCode);
        var written = Rows("rebuild");
        Execute("DELETE FROM hk_subscribers WHERE tenant_id = 'rebuild' AND email = 'a@example.jp'");
        Execute("UPDATE hk_subscribers SET status = 'active', status_reason = NULL WHERE tenant_id = 'rebuild' AND email = 'b@example.jp'");
        Assert.Equal(written[2], Assert.Single(Rows("rebuild").Intersect(written)));

        using var admin = fixture.Silo.AdminClient();
        Assert.Equal("idle", (await (await admin.GetAsync("/v1/projections/subscribers")).Json()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await t.PostAsync("/v1/projections/subscribers/rebuild", null)).StatusCode);
        var accepted = await admin.PostAsync("/v1/projections/subscribers/rebuild", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("/v1/projections/subscribers", accepted.Headers.Location?.OriginalString);
        var progress = await WaitFinished(admin);

        Assert.Equal(written, Rows("rebuild"));
        Assert.Equal(3, progress.GetProperty("streamsSeen").GetInt64());
        Assert.Equal(3, progress.GetProperty("rowsWritten").GetInt64());
        Assert.True(progress.GetProperty("position").GetInt64() > 0);
        Assert.True(progress.GetProperty("finishedAt").GetDateTimeOffset() >= progress.GetProperty("startedAt").GetDateTimeOffset());
    }

    private static async Task<JsonElement> WaitFinished(HttpClient admin)
    {
        for (var i = 0; i < 150; i++)
        {
            var progress = await (await admin.GetAsync("/v1/projections/subscribers")).Json();
            if (progress.GetProperty("state").GetString() == "finished")
            {
                return progress;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("the rebuild did not finish");
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(fixture.DataDir, "hikyaku.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Every column of the tenant's rows, as text, in email order.</summary>
    private List<string> Rows(string tenant)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT email || '|' || domain || '|' || status || '|' || ifnull(status_reason, '') || '|' || subscribed_at || '|' || updated_at
                || '|' || ifnull(last_reply, '') || '|' || stream_version
            FROM hk_subscribers WHERE tenant_id = $t ORDER BY email
            """;
        command.Parameters.AddWithValue("$t", tenant);
        using var r = command.ExecuteReader();
        var rows = new List<string>();
        while (r.Read())
        {
            rows.Add(r.GetString(0));
        }

        return rows;
    }
}
