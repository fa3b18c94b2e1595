using Hikyaku.EndToEnd.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using static Hikyaku.EndToEnd.Tests.Infrastructure.LateReportSteps;

namespace Hikyaku.EndToEnd.Tests;

/// <summary>Reports in a mailbox the silo polls over POP3 (a real Dovecot; the test drops the reports in over IMAP).</summary>
[Collection(BounceIntakeCollection.Name)]
public sealed class LateBounceOverPop3Tests(BounceIntakeFixture fixture)
{
    [SkippableFact]
    public async Task A_DSN_fetched_over_POP3_reaches_its_reader_is_deleted_and_a_forged_one_stays()
    {
        Skip.If(fixture.Pop3Mailbox is null, fixture.Pop3Unavailable);
        var (t, _, email, returnPath) = await ReaderWhoGotABroadcast(fixture, "pop3");

        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", fixture.Pop3Mailbox!.Port, SecureSocketOptions.None);
        await imap.AuthenticateAsync(fixture.Pop3Mailbox.User, fixture.Pop3Mailbox.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var forged = await DropRealAndForgedDsn(imap.Inbox, email, returnPath);

        await AssertErrorStoppedByLateBounce(t, email, "pop3");

        // The recorded report is deleted when the poller's session ends; the forged one stays for an operator.
        IList<UniqueId> left = [];
        for (var i = 0; i < 100; i++)
        {
            await imap.NoOpAsync();
            left = await imap.Inbox.SearchAsync(SearchQuery.All);
            if (left.Count == 1)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(forged, ReturnedOriginalReturnPath(await imap.Inbox.GetMessageAsync(Assert.Single(left))));
    }
}
