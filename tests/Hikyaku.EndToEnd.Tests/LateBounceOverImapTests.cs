using Hikyaku.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using static Hikyaku.EndToEnd.Tests.Infrastructure.LateReportSteps;
using static Hikyaku.Testing.LateReports;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Reports delivered into a mailbox (a real Dovecot over IMAP) that the silo polls.</summary>
[Collection(BounceIntakeCollection.Name)]
public sealed class LateBounceOverImapTests(BounceIntakeFixture fixture)
{
    [SkippableFact]
    public async Task A_DSN_in_the_polled_mailbox_reaches_its_reader_and_a_forged_one_is_set_aside()
    {
        Skip.If(fixture.Mailbox is null, fixture.ImapUnavailable);
        var (t, _, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "imap");
        var forged = returnPath.Replace("bounce+", "bounce+aa", StringComparison.Ordinal);

        // Delivered to a shared bounce mailbox: only the returned original names the reader.
        using var imap = await Open();
        var inbox = imap.Inbox;
        await inbox.AppendAsync(Message(Dsn("bounces@acme.example", email, "5.1.1", "550 5.1.1 User unknown", OriginalHeaders(returnPath), messageId: $"<{Guid.NewGuid():N}@mx>")));
        await inbox.AppendAsync(Message(Dsn("bounces@acme.example", email, "5.1.1", "550 5.1.1 User unknown", OriginalHeaders(forged), messageId: $"<{Guid.NewGuid():N}@mx>")));

        var status = "active";
        for (var i = 0; i < 150 && status == "active"; i++)
        {
            await Task.Delay(100);
            status = (await Reader(t, email)).GetProperty("status").GetString()!;
        }

        Assert.Equal("error-stopped", status);
        var late = (await MailLog(t, email)).Last();
        Assert.Equal(("bounce", "userunknown"), (late.GetProperty("entry").GetString(), late.GetProperty("classification").GetString()));
        Assert.Contains("via imap", late.GetProperty("transcript").GetString(), StringComparison.Ordinal);
        var left = await WaitUntilOnlySetAsideRemain(imap);
        var kept = await inbox.GetMessageAsync(Assert.Single(left));
        Assert.Equal(forged, kept.BodyParts.OfType<MessagePart>().Single().Message!.Headers[HeaderId.ReturnPath]!.Trim('<', '>', ' '));
    }

    private async Task<ImapClient> Open()
    {
        var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", fixture.Mailbox!.Port, SecureSocketOptions.None);
        await imap.AuthenticateAsync(fixture.Mailbox.User, fixture.Mailbox.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        return imap;
    }

    /// <summary>The mailbox once the poller has dealt with everything: only set-aside reports remain.</summary>
    private static async Task<IList<UniqueId>> WaitUntilOnlySetAsideRemain(ImapClient imap)
    {
        for (var i = 0; ; i++)
        {
            await imap.NoOpAsync();
            var all = await imap.Inbox.SearchAsync(SearchQuery.NotDeleted);
            var aside = await imap.Inbox.SearchAsync(SearchQuery.HasKeyword(Intake.Imap.ImapBouncePoller.SetAsideKeyword));
            if (all.Count == aside.Count || i == 100)
            {
                Assert.Equal(all, aside);
                return aside;
            }

            await Task.Delay(100);
        }
    }

    private static MimeMessage Message(string text) => MimeMessage.Load(new MemoryStream(Bytes(text)));
}
