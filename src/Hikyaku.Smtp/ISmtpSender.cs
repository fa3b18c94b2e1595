namespace Hikyaku.Smtp;

/// <summary>Sends batches of messages over SMTP and reports what happened to each one.</summary>
public interface ISmtpSender
{
    /// <summary>
    /// Sends every message of <paramref name="batch"/> and returns exactly one outcome per message,
    /// in the order of <see cref="DeliveryBatch.Messages"/>. SMTP replies, refused connections,
    /// timeouts and dropped sessions are outcomes, never exceptions.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<IReadOnlyList<DeliveryOutcome>> SendAsync(DeliveryBatch batch, CancellationToken cancellationToken = default);
}
