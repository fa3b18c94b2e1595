using System.IO.Pipelines;

namespace Hikyaku.MxSim.Smtp;

/// <summary>
/// The session's output, passing everything through except one thing: SmtpServer appends
/// ", N retry(ies) remaining." to every reply raised by an <c>SmtpResponseException</c> that does not
/// close the session. No provider says that, and the delivery side classifies replies by their exact
/// wording, so the suffix is cut from each reply line as it is written.
/// </summary>
internal sealed class ReplyWriter(PipeWriter inner) : PipeWriter
{
    static ReadOnlySpan<byte> Suffix => " retry(ies) remaining.\r\n"u8;

    Memory<byte> _buffer;

    public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes) => inner.Advance(WithoutRetrySuffix(_buffer.Span[..bytes]));

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    /// <summary>Rewrites <c>..., 4 retry(ies) remaining.\r\n</c> in place to <c>...\r\n</c> and returns the new length.</summary>
    internal static int WithoutRetrySuffix(Span<byte> written)
    {
        if (!written.EndsWith(Suffix)) return written.Length;
        var i = written.Length - Suffix.Length;
        while (i > 0 && char.IsAsciiDigit((char)written[i - 1])) i--;
        if (i < 2 || written[i - 1] != (byte)' ' || written[i - 2] != (byte)',') return written.Length;
        var cut = i - 2;
        written[cut] = (byte)'\r';
        written[cut + 1] = (byte)'\n';
        return cut + 2;
    }
}
