using Hikyaku.Contracts.Events;
using Hikyaku.Contracts.Model;

namespace Hikyaku.Contracts.Grains;

/// <summary>
/// What lanes need of a message, whatever it is (a broadcast issue, a step story): its content to compose from, and
/// somewhere to count each reader's result. A broadcast implements it; a step story will.
/// </summary>
[Alias("hikyaku.IMessageGrain")]
public interface IMessageGrain : IGrainWithStringKey
{
    /// <summary>The content messages are composed from; null when the message does not exist.</summary>
    [Alias("GetContent")]
    Task<MailContentView?> GetContent();

    /// <summary>Outcomes of readers from a lane; a reader's final result is counted once.</summary>
    [Alias("RecordResults")]
    Task RecordResults(IReadOnlyList<RecipientResult> results);
}
