using System.Collections.Concurrent;
using Hikyaku.Contracts.Model;
using Hikyaku.Smtp.Composition;
using Hikyaku.Smtp.Dkim;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// One <see cref="MessageComposer"/> per issue per silo: the body is encoded once and shared by every reader's
/// copy, and the tenant's DKIM key is opened once. Issues are immutable, so entries never go stale (a DKIM key
/// changed mid-issue applies from the next issue); a step story the tenant edits is another entry (its content is in the
/// key); the oldest are dropped beyond a bound.
/// </summary>
public sealed class ComposerCache(LaneOptions options, TimeProvider time)
{
    private const int MaxEntries = 256;
    private readonly ConcurrentDictionary<string, Task<MessageComposer>> _composers = new(StringComparer.Ordinal);

    /// <param name="dkim">Loads the tenant's DKIM key (null: unsigned); called once per issue.</param>
    public Task<MessageComposer> GetAsync(MailContentView content, Func<Task<DkimKey?>> dkim)
    {
        var key = $"{content.TenantId}/{content.MagazineId}/{content.MessageKey}/{HashCode.Combine(content.Subject, content.TextBody, content.HtmlBody, content.FromAddress, content.FromName)}";
        if (_composers.TryGetValue(key, out var cached) && !cached.IsFaulted)
        {
            return cached;
        }

        if (_composers.Count > MaxEntries)
        {
            _composers.Clear();
        }

        return _composers.AddOrUpdate(key, _ => Create(content, dkim), (_, old) => old.IsFaulted ? Create(content, dkim) : old);
    }

    private async Task<MessageComposer> Create(MailContentView content, Func<Task<DkimKey?>> dkim) =>
        new(new MailContent(content.MessageKey.ToString(), content.FromAddress, content.FromName, content.Subject, content.TextBody, content.HtmlBody, content.TenantId, content.MagazineId)
        {
            ListUnsubscribeBaseUrl = options.UnsubscribeBaseUrl,
            Dkim = await dkim(),
        },
        time);
}
