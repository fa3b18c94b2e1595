using System.Collections.Concurrent;
using Hikyaku.Contracts.Model;
using Hikyaku.Smtp.Composition;

namespace Hikyaku.Grains.Delivery;

/// <summary>
/// One <see cref="MessageComposer"/> per issue per silo: the body is encoded once and shared by every reader's
/// copy. Issues are immutable, so entries never go stale; the oldest are dropped beyond a bound.
/// </summary>
public sealed class ComposerCache(LaneOptions options, TimeProvider time)
{
    private const int MaxEntries = 256;
    private readonly ConcurrentDictionary<string, Lazy<MessageComposer>> _composers = new(StringComparer.Ordinal);

    public MessageComposer Get(MailContentView content)
    {
        var key = $"{content.TenantId}/{content.MessageKey}";
        if (_composers.Count > MaxEntries)
        {
            _composers.Clear();
        }

        return _composers.GetOrAdd(key, _ => new Lazy<MessageComposer>(() => new MessageComposer(
            new MailContent(content.MessageKey, content.FromAddress, content.FromName, content.Subject, content.TextBody, content.HtmlBody, content.TenantId, content.MagazineId)
            {
                ListUnsubscribeBaseUrl = options.UnsubscribeBaseUrl,
            },
            time))).Value;
    }
}
