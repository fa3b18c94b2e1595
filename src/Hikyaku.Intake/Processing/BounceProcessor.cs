using Hikyaku.Bounces;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Bounces;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Hikyaku.Intake.Processing;

/// <summary>What became of one received report.</summary>
public enum IntakeOutcome
{
    /// <summary>Recorded on the reader (and acted on).</summary>
    Recorded,

    /// <summary>Already recorded before: nothing changed.</summary>
    Duplicate,

    /// <summary>An auto-reply, a success DSN or nothing recognisable: nothing to record, the report is done with.</summary>
    NothingToRecord,

    /// <summary>The return path opened but the reader does not exist (any more).</summary>
    NoReader,

    /// <summary>No return path of ours in it, or only ones that do not open (forged, altered): set aside.</summary>
    NoReturnPath,

    /// <summary>Not a message at all: set aside.</summary>
    Unreadable,
}

/// <summary>
/// Processes one report, from the SMTP listener or the polled mailbox: finds its reader, classifies it with the
/// bounce classifier, and hands what it means to the <see cref="IBounceRecorder"/>.
/// </summary>
public sealed class BounceProcessor
{
    private readonly ReturnPathToken _tokens;
    private readonly string _domain;
    private readonly ReturnPathFinder _finder;
    private readonly IBounceRecorder _recorder;
    private readonly ILogger _logger;

    public BounceProcessor(ReturnPathToken tokens, string domain, IBounceRecorder recorder, ILogger<BounceProcessor> logger)
    {
        _tokens = tokens;
        _domain = domain;
        _finder = new ReturnPathFinder(tokens, domain);
        _recorder = recorder;
        _logger = logger;
    }

    /// <summary>Opens an envelope recipient <c>bounce+{token}@{domain}</c>; false with the reason when it does not.</summary>
    public bool TryOpenRecipient(string address, out ReturnPath path, out string reason)
    {
        reason = string.Empty;
        if (_tokens.TryReadAddress(address, _domain, out path))
        {
            return true;
        }

        var at = address.LastIndexOf('@');
        reason = at < 0 || !string.Equals(address[(at + 1)..], _domain, StringComparison.OrdinalIgnoreCase)
            ? $"not the bounce domain {_domain}"
            : address[..at].StartsWith(ReturnPathToken.LocalPrefix + "+", StringComparison.OrdinalIgnoreCase)
                ? "the token does not open (forged, altered, or made with another secret)"
                : "not a return path address";
        return false;
    }

    /// <param name="raw">The report as received.</param>
    /// <param name="envelope">The return path the SMTP envelope named (RCPT TO), or null to look for it in the report.</param>
    /// <param name="via"><c>smtp</c> or <c>imap</c>.</param>
    /// <exception cref="Exception">The recorder failed: the report must be tried again later.</exception>
    public async Task<IntakeOutcome> ProcessAsync(ReadOnlyMemory<byte> raw, ReturnPath? envelope, string via, CancellationToken cancellationToken)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(new MemoryStream(raw.ToArray(), writable: false), cancellationToken);
        }
        catch (FormatException e)
        {
            IntakeLog.Unreadable(_logger, via, e.Message);
            return IntakeOutcome.Unreadable;
        }

        var bounceId = BounceNotices.BounceId(message, raw.Span);
        var path = envelope;
        if (path is null)
        {
            var found = _finder.Find(message);
            if (found.Path is null)
            {
                IntakeLog.NoReturnPath(_logger, bounceId, via, found.Refused.Count == 0 ? string.Empty : $" ({found.Refused.Count} that did not open)");
                return IntakeOutcome.NoReturnPath;
            }

            path = found.Path;
        }

        var report = BounceMessageParser.Parse(message);
        if (BounceNotices.From(report, path, bounceId, via) is not { } notice)
        {
            IntakeLog.NothingToRecord(_logger, report.Kind.ToString(), via, path.TenantId, path.MagazineId, path.MessageKey);
            return IntakeOutcome.NothingToRecord;
        }

        BounceRecordResult result;
        try
        {
            result = await _recorder.RecordAsync(path, notice, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            IntakeLog.RecordFailed(_logger, bounceId, via, e);
            throw;
        }

        var effect = result.ErrorStopped ? ", reader error-stopped" : result.Unsubscribed ? ", reader unsubscribed" : string.Empty;
        IntakeLog.Recorded(_logger, notice.Kind, via, path.TenantId, path.MagazineId, path.Email, path.MessageKey, notice.Reason, notice.Action, result.Outcome.ToString(), effect);
        return result.Outcome switch
        {
            BounceRecordOutcome.Duplicate => IntakeOutcome.Duplicate,
            BounceRecordOutcome.NoReader => IntakeOutcome.NoReader,
            _ => IntakeOutcome.Recorded,
        };
    }
}
