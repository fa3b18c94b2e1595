using Hikyaku.Hosting.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Hikyaku.Hosting.Tests;

/// <summary>The IReminderTable contract, as Orleans' own tables keep it, on a SQLite file per test.</summary>
public sealed class SqliteReminderTableTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hikyaku-reminders-" + Guid.NewGuid().ToString("N"));
    private SqliteReminderTable _table = null!;

    private string FilePath => Path.Combine(_dir, "reminders.db");

    public async Task InitializeAsync() => _table = await OpenAsync("svc");

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Upserted_reminder_reads_back_with_its_schedule_and_the_returned_etag()
    {
        var entry = Entry(Grain("a"), "daily", new DateTime(2026, 11, 28, 1, 2, 3, DateTimeKind.Utc), TimeSpan.FromDays(1));

        var etag = await _table.UpsertRow(entry);
        var read = await _table.ReadRow(entry.GrainId, "daily");

        Assert.NotNull(read);
        Assert.Equal((entry.GrainId, entry.StartAt, entry.Period, etag), (read.GrainId, read.StartAt, read.Period, read.ETag));
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
    }

    [Fact]
    public async Task Upsert_of_an_existing_reminder_replaces_it_under_a_new_etag()
    {
        var grain = Grain("a");
        var first = await _table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var second = await _table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(5)));

        var rows = await _table.ReadRows(grain);

        Assert.NotEqual(first, second);
        var only = Assert.Single(rows.Reminders);
        Assert.Equal((TimeSpan.FromMinutes(5), second), (only.Period, only.ETag));
    }

    [Fact]
    public async Task Remove_with_a_stale_etag_keeps_the_reminder()
    {
        var grain = Grain("a");
        var stale = await _table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var current = await _table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(2)));

        Assert.False(await _table.RemoveRow(grain, "r", stale!));
        Assert.NotNull(await _table.ReadRow(grain, "r"));
        Assert.True(await _table.RemoveRow(grain, "r", current!));
        Assert.Null(await _table.ReadRow(grain, "r"));
        Assert.False(await _table.RemoveRow(grain, "r", current!));
    }

    [Fact]
    public async Task Reading_by_grain_returns_only_that_grains_reminders()
    {
        var (a, b) = (Grain("a"), Grain("b"));
        await _table.UpsertRow(Entry(a, "one", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await _table.UpsertRow(Entry(a, "two", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await _table.UpsertRow(Entry(b, "one", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        var rows = await _table.ReadRows(a);

        Assert.Equal(["one", "two"], rows.Reminders.Select(r => r.ReminderName).Order());
    }

    [Fact]
    public async Task Hash_range_excludes_begin_and_includes_end()
    {
        var byHash = await FillAsync(40);

        var rows = await _table.ReadRows(byHash[10].GetUniformHashCode(), byHash[20].GetUniformHashCode());

        Assert.Equal(byHash[11..21].Select(g => g.ToString()).Order(), Names(rows));
    }

    [Fact]
    public async Task Hash_range_wraps_around_the_ring_when_begin_is_past_end()
    {
        var byHash = await FillAsync(40);

        var rows = await _table.ReadRows(byHash[35].GetUniformHashCode(), byHash[3].GetUniformHashCode());

        Assert.Equal(byHash[36..].Concat(byHash[..4]).Select(g => g.ToString()).Order(), Names(rows));
    }

    [Fact]
    public async Task Hash_range_with_begin_equal_to_end_is_the_whole_ring()
    {
        var byHash = await FillAsync(10);

        var rows = await _table.ReadRows(byHash[4].GetUniformHashCode(), byHash[4].GetUniformHashCode());

        Assert.Equal(10, rows.Reminders.Count);
    }

    [Fact]
    public async Task Another_service_sharing_the_file_sees_none_of_these_reminders()
    {
        await _table.UpsertRow(Entry(Grain("a"), "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var other = await OpenAsync("other-service");

        Assert.Empty((await other.ReadRows(0u, 0u)).Reminders);
        Assert.Null(await other.ReadRow(Grain("a"), "r"));
    }

    [Fact]
    public async Task Reminders_survive_reopening_the_file()
    {
        var etag = await _table.UpsertRow(Entry(Grain("a"), "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));

        var reopened = await OpenAsync("svc");

        Assert.Equal(etag, (await reopened.ReadRow(Grain("a"), "r"))?.ETag);
    }

    [Fact]
    public async Task Clearing_the_table_removes_every_reminder_of_the_service()
    {
        await FillAsync(5);

        await _table.TestOnlyClearTable();

        Assert.Empty((await _table.ReadRows(0u, 0u)).Reminders);
    }

    private async Task<SqliteReminderTable> OpenAsync(string serviceId)
    {
        var table = new SqliteReminderTable(FilePath, Options.Create(new ClusterOptions { ServiceId = serviceId }));
        await table.StartAsync();
        return table;
    }

    /// <summary>Registers one reminder on each of <paramref name="count"/> grains; returns the grains by ring position.</summary>
    private async Task<GrainId[]> FillAsync(int count)
    {
        var grains = Enumerable.Range(0, count).Select(i => Grain("g" + i)).OrderBy(g => g.GetUniformHashCode()).ToArray();
        Assert.Equal(count, grains.Select(g => g.GetUniformHashCode()).Distinct().Count());
        foreach (var grain in grains)
        {
            await _table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        }

        return grains;
    }

    private static IEnumerable<string> Names(ReminderTableData rows) => rows.Reminders.Select(r => r.GrainId.ToString()).Order();

    private static GrainId Grain(string key) => GrainId.Create("reminderprobe", key);

    private static ReminderEntry Entry(GrainId grain, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = startAt, Period = period };
}
