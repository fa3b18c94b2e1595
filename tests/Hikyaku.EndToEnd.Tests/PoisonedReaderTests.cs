using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;
using Hikyaku.EndToEnd.Tests.Infrastructure;
using Hikyaku.EventStore;
using Hikyaku.EventStore.Postgres;
using Hikyaku.EventStore.Serialization;
using Hikyaku.Grains.Storage;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>
/// A reader whose message cannot be composed does not hang its broadcast: it gets the final result <c>failed</c> with
/// the reason in its history and mail log, and every other reader — those of its own batch too — is delivered once.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class PoisonedReaderTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private const string Subject = "issue with a poisoned reader";

    // A tab pasted from a spreadsheet: no SMTP envelope can carry it, quoted or not (RFC 5321 §4.1.2). Today's import
    // refuses it, so the reader is written into the store as an older, looser import would have left it.
    private const string Poisoned = "taro\thanako@docomo.ne.jp";

    private static readonly string[] Domains = DeliveryFixture.Domains.Values.SelectMany(d => d).ToArray();

    [Fact]
    public async Task A_reader_that_cannot_be_composed_fails_with_its_reason_and_the_1000_reader_broadcast_finishes()
    {
        var (t, tenantId) = await fixture.TenantWithIps("poison", 5);
        var readers = Enumerable.Range(0, 999).Select(i => $"reader{i:D4}@{Domains[i % Domains.Length]}").ToList();
        foreach (var email in readers)
        {
            fixture.Providers.ProviderFor(email.Split('@')[1])!.AddMailbox(email);
        }

        await t.Import(readers);
        await SubscribeBehindTheApi(tenantId, Poisoned);
        Assert.Equal("active", (await (await t.GetAsync(BroadcastSteps.Reader(Poisoned))).Json()).GetProperty("status").GetString());

        var view = await t.WaitFinished(await t.Broadcast(Subject), TimeSpan.FromMinutes(3));

        Assert.Equal((1000, 999, 0, 0), (
            view.GetProperty("total").GetInt32(), view.GetProperty("delivered").GetInt32(), view.GetProperty("pending").GetInt32(), view.GetProperty("errorStopped").GetInt32()));
        Assert.Equal(1, view.GetProperty("bounced").GetProperty("failed").GetInt32());
        var journal = fixture.Providers.Journal;
        Assert.All(readers, e => Assert.Equal(1, journal.ForRecipient(e).Count(m => m.Subject == Subject)));
        Assert.Empty(journal.Duplicates());
        Assert.DoesNotContain(journal.Accepted, m => m.Recipient.Contains("hanako", StringComparison.Ordinal));

        var log = await (await t.GetAsync(BroadcastSteps.Reader(Poisoned, "/log"))).Json();
        var attempt = Assert.Single(log.EnumerateArray());
        Assert.Equal(("failed", "compose"), (attempt.GetProperty("result").GetString(), attempt.GetProperty("classification").GetString()));
        Assert.Contains("control character", attempt.GetProperty("reply").GetProperty("text").GetString(), StringComparison.Ordinal);
        var history = await (await t.GetAsync(BroadcastSteps.Reader(Poisoned, "/history"))).Json();
        var recorded = Assert.Single(history.EnumerateArray(), e => e.GetProperty("type").GetString() == "reader.delivery-attempted");
        Assert.Equal("failed", recorded.GetProperty("data").GetProperty("result").GetString());
        Assert.Contains("could not be composed", recorded.GetProperty("data").GetProperty("reply").GetProperty("text").GetString(), StringComparison.Ordinal);
        // Not the address's fault as far as anyone knows: the reader stays active.
        Assert.Equal("active", (await (await t.GetAsync(BroadcastSteps.Reader(Poisoned))).Json()).GetProperty("status").GetString());
    }

    /// <summary>Writes the reader's subscription and its projection row the way its grain would, straight into the store.</summary>
    private async Task SubscribeBehindTheApi(string tenantId, string email)
    {
        await using var store = new PostgresEventStore(fixture.ConnectionString, new EventStoreOptions());
        var serializer = new EventSerializer(HikyakuEventTypes.CreateRegistry());
        var at = DateTimeOffset.UtcNow;
        var subscribed = new ReaderSubscribed(Guid.NewGuid(), at, email, "Taro", null, "import");
        var row = new SubscriberRow(tenantId, "news", email, "docomo.ne.jp", SubscriberStatus.Active, null, at, at, null, 1);
        var result = await store.AppendAsync(new AppendRequest(
            $"reader:{GrainKeys.Reader(tenantId, "news", email)}", 0, [serializer.ToEventData(subscribed, at, subscribed.EventId)], [row]));
        Assert.True(result.Succeeded);
    }
}
