using System.Text;
using Hikyaku.MxSim.Smtp;

namespace Hikyaku.MxSim.Tests;

public sealed class ReplyWriterTests
{
    [Theory]
    [InlineData("550 5.1.1 <a@icloud.com>: user does not exist, 2147483646 retry(ies) remaining.\r\n", "550 5.1.1 <a@icloud.com>: user does not exist\r\n")]
    [InlineData("451 4.7.1 Greylisted, 4 retry(ies) remaining.\r\n", "451 4.7.1 Greylisted\r\n")]
    [InlineData("250 2.0.0 OK queued\r\n", "250 2.0.0 OK queued\r\n")]
    [InlineData("550 no retry(ies) remaining.\r\n", "550 no retry(ies) remaining.\r\n")]
    public void SmtpServers_retry_counter_is_cut_from_reply_lines_and_nothing_else(string written, string sent)
    {
        var bytes = Encoding.ASCII.GetBytes(written);

        var length = ReplyWriter.WithoutRetrySuffix(bytes);

        Assert.Equal(sent, Encoding.ASCII.GetString(bytes, 0, length));
    }
}
