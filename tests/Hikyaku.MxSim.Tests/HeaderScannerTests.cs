using System.Buffers;
using System.Text;
using Hikyaku.MxSim.Journal;

namespace Hikyaku.MxSim.Tests;

public sealed class HeaderScannerTests
{
    [Fact]
    public void Folded_and_encoded_subject_and_message_id_are_read_from_the_header_block_only()
    {
        const string message =
            "From: news@sender.example\r\n" +
            "Subject: =?UTF-8?B?5LuK6YCx44Gu?=\r\n =?UTF-8?B?44GK55+l44KJ44Gb?=\r\n" +
            "message-id:\r\n <abc@sender.example>\r\n" +
            "\r\n" +
            "Subject: not a header, the body\r\n";

        var (messageId, subject) = HeaderScanner.Scan(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(message)));

        Assert.Equal(("abc@sender.example", "今週のお知らせ"), (messageId, subject));
    }

    [Fact]
    public void Missing_headers_are_null()
    {
        var (messageId, subject) = HeaderScanner.Scan(new ReadOnlySequence<byte>("From: a@b.example\r\n\r\nSubject: body\r\n"u8.ToArray()));

        Assert.Equal((null, null), (messageId, subject));
    }

    [Fact]
    public void Headers_split_across_buffer_segments_are_read()
    {
        var bytes = Encoding.ASCII.GetBytes("Message-ID: <split@sender.example>\r\nSubject: Hello\r\n\r\nbody\r\n");
        var first = new Segment(bytes.AsMemory(0, 20));
        var last = first.Append(bytes.AsMemory(20));

        var (messageId, subject) = HeaderScanner.Scan(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        Assert.Equal(("split@sender.example", "Hello"), (messageId, subject));
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
