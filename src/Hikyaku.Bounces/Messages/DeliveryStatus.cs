using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Reads the per-recipient groups of RFC 3464 delivery-status bodies (section 2.3): Final-Recipient
/// (or Original-Recipient), Action, Status and Diagnostic-Code; the human-readable part is
/// consulted for the stage and when the diagnostic decides nothing.
/// </summary>
internal static class DeliveryStatus
{
    /// <summary>Every recipient group, with whether its Action is <c>delayed</c> (RFC 3464 2.3.3).</summary>
    public static List<(BounceRecipient Recipient, bool Delayed)> Read(MessageText text, RuleBook rules)
    {
        var result = new List<(BounceRecipient, bool)>();
        foreach (var body in Bodies(text))
        {
            foreach (var group in DsnFields.ReadGroups(body))
            {
                var recipient = Field(group, "Final-Recipient") ?? Field(group, "Original-Recipient");
                if (recipient is null)
                {
                    continue; // the per-message group (Reporting-MTA, Arrival-Date)
                }

                var address = DsnFields.Address(recipient);
                var action = Field(group, "Action")?.ToLowerInvariant() ?? string.Empty;
                var status = Field(group, "Status");
                status = status is null ? null : StatusCodes.FindEnhanced(status);
                if (action is "delivered" or "relayed" or "expanded" || status is { } s && s[0] == '2')
                {
                    var ok = Classification.Of(BounceReason.Delivered, 2, status, 0, "rfc3464.delivered", null);
                    result.Add((new BounceRecipient(address, status, 0, string.Empty, ok), false));
                    continue;
                }

                var diagnostic = Field(group, "Diagnostic-Code") is { } d ? DsnFields.StripType(d) : string.Empty;
                var block = BlockAbout(text.ErrorText, address);
                if (diagnostic.Length == 0)
                {
                    diagnostic = block;
                }

                result.Add((RecipientClassifier.Classify(address, diagnostic, block, status, delayed: action == "delayed", rules), action == "delayed"));
            }
        }

        return result;
    }

    // Some MTAs write the DSN fields inline, without a message/delivery-status MIME part.
    private static IReadOnlyList<string> Bodies(MessageText text)
    {
        if (text.DeliveryStatus.Count > 0)
        {
            return text.DeliveryStatus;
        }

        var at = text.ErrorText.IndexOf("Final-Recipient:", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return [];
        }

        var start = text.ErrorText.LastIndexOf("Reporting-MTA:", at, StringComparison.OrdinalIgnoreCase);
        return [text.ErrorText[(start >= 0 ? start : at)..]];
    }

    private static string? Field(Dictionary<string, string> group, string name) =>
        group.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    // The human-readable text about this recipient: from its first mention on, or all of it.
    private static string BlockAbout(string errorText, string address)
    {
        var at = address.Length == 0 ? -1 : errorText.IndexOf(address, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? errorText : errorText[(errorText.LastIndexOf('\n', at) + 1)..];
    }
}
