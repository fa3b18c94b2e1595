using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>Stateless SMTP workers: compose (once per issue) and send batches handed over by the lanes.</summary>
[Alias("hikyaku.ISmtpWorkerGrain")]
public interface ISmtpWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>Sends the batch; one attempt per recipient, in order. SMTP failures are values, never exceptions.</summary>
    [Alias("Send")]
    Task<IReadOnlyList<SmtpAttempt>> Send(SmtpWork work);

    /// <summary>Sends the test message (as test deliveries compose it) to each of the work's recipients: a lane's probe to a seed address.</summary>
    [Alias("SendTest")]
    Task<IReadOnlyList<SmtpAttempt>> SendTest(SmtpTestWork work);
}
