using Hikyaku.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using static Hikyaku.EndToEnd.Tests.Infrastructure.LateReportSteps;

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

        using var imap = await Open();
        var forged = await DropRealAndForgedDsn(imap.Inbox, email, returnPath);

        await AssertErrorStoppedByLateBounce(t, email, "imap");
        var left = await WaitUntilOnlySetAsideRemain(imap);
        Assert.Equal(forged, ReturnedOriginalReturnPath(await imap.Inbox.GetMessageAsync(Assert.Single(left))));
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
}
