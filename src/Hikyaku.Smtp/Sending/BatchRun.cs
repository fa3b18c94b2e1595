using Hikyaku.Bounces;

namespace Hikyaku.Smtp.Sending;

/// <summary>
/// The shared state of one <see cref="SmtpSender.SendAsync"/> call: which message is next, the
/// outcomes so far, and why the batch stopped early, if it did.
/// </summary>
internal sealed class BatchRun(DeliveryBatch batch, TimeProvider time)
{
    readonly DeliveryOutcome?[] _outcomes = new DeliveryOutcome?[batch.Messages.Count];
    int _next = -1;
    AttemptResult? _stopped;
    AttemptResult? _lastFailure;

    public DeliveryBatch Batch { get; } = batch;

    /// <summary>The 421 that ended the batch (every message not yet sent gets it too), or the halt asked by <see cref="DeliveryBatch.Halt"/>.</summary>
    public AttemptResult? Stopped => Volatile.Read(ref _stopped);

    /// <summary>The next message to send, in the batch's order.</summary>
    public bool TryTake(out int index)
    {
        index = Interlocked.Increment(ref _next);
        return index < _outcomes.Length;
    }

    public void Record(int index, AttemptResult result)
    {
        var outcome = result.For(Batch.Messages[index], Batch, time.GetUtcNow());
        _outcomes[index] = outcome;
        if (Batch.Halt is { } halt && Stopped is null && halt(outcome))
        {
            Stop(AttemptResult.Local(SmtpStage.Mail, "not sent: the batch was halted for the lane to be judged after the provider's reply to an earlier message", []) with { Halted = true });
        }
    }

    /// <summary>
    /// A 421 ends the session and, RFC 5321 §3.8, means the provider wants no more now: the rest of
    /// the batch is deferred with the provider's reply instead of being tried on other sessions.
    /// </summary>
    public void Stop(AttemptResult reply) => Interlocked.CompareExchange(ref _stopped, reply with { Transcript = [] }, null);

    /// <summary>A worker gave up (no session could be opened or kept); its failure covers what nobody sent.</summary>
    public void Fail(AttemptResult failure) => Volatile.Write(ref _lastFailure, failure with { Transcript = [] });

    /// <summary>The outcomes in batch order, each message not reached by a worker given the reason why.</summary>
    public IReadOnlyList<DeliveryOutcome> Finish()
    {
        for (var i = 0; i < _outcomes.Length; i++)
        {
            if (_outcomes[i] is not null) continue;
            var reason = Stopped ?? _lastFailure ?? AttemptResult.Local(Bounces.SmtpStage.Connect, "not sent", []);
            Record(i, reason);
        }
        return _outcomes!;
    }
}
