using System.Text.Json;
using Hikyaku.Bounces.Rules;

namespace Hikyaku.Bounces.Messages;

/// <summary>
/// Amazon SES event notifications delivered by email (JSON, optionally inside an SNS envelope),
/// as documented in https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html:
/// notificationType Bounce / Complaint / Delivery with bouncedRecipients, complainedRecipients,
/// or delivery.recipients.
/// </summary>
internal static class SesNotification
{
    public static BounceReport? TryRead(string text, RuleBook rules)
    {
        var start = text.IndexOf("{\"", StringComparison.Ordinal);
        var end = text.LastIndexOf('}');
        if (start < 0 || end <= start || !text.Contains("notificationType", StringComparison.Ordinal) && !text.Contains("eventType", StringComparison.Ordinal))
        {
            return null;
        }

        // Notifications mailed as text may come line-wrapped; JSON has no newlines of its own to lose.
        var json = text[start..(end + 1)].Replace("\r", string.Empty).Replace("\n", string.Empty);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.TryGetProperty("Message", out var inner) && inner.ValueKind == JsonValueKind.String)
            {
                using var innerDoc = JsonDocument.Parse(inner.GetString()!);
                return Read(innerDoc.RootElement, rules);
            }

            return Read(root, rules);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static BounceReport? Read(JsonElement root, RuleBook rules)
    {
        var type = Str(root, "notificationType") ?? Str(root, "eventType");
        switch (type)
        {
            case "Bounce" when root.TryGetProperty("bounce", out var bounce):
                var transient = Str(bounce, "bounceType") == "Transient";
                var recipients = Items(bounce, "bouncedRecipients").Select(r =>
                {
                    var status = Str(r, "status");
                    var diag = Str(r, "diagnosticCode") ?? string.Empty;
                    return RecipientClassifier.Classify(Str(r, "emailAddress") ?? string.Empty, diag, Str(bounce, "bounceSubType") ?? string.Empty, transient && status is null ? "4.0.0" : status, delayed: false, rules);
                }).ToList();
                return new BounceReport(BounceKind.Bounce, recipients);
            case "Complaint" when root.TryGetProperty("complaint", out var complaint):
                var feedback = Str(complaint, "complaintFeedbackType") ?? "abuse";
                return new BounceReport(BounceKind.Feedback, Items(complaint, "complainedRecipients").Select(r =>
                    new BounceRecipient(Str(r, "emailAddress") ?? string.Empty, null, 0, "feedback-type: " + feedback,
                        Classification.Of(BounceReason.Feedback, 0, null, 0, "ses.complaint", "amazonses"))).ToList());
            case "Delivery" when root.TryGetProperty("delivery", out var delivery):
                var reply = SmtpReply.Parse(Str(delivery, "smtpResponse"));
                return new BounceReport(BounceKind.Delivered, Items(delivery, "recipients").Select(r =>
                    new BounceRecipient(r.GetString() ?? string.Empty, reply.EnhancedCode, reply.Code, reply.Text,
                        Classification.Of(BounceReason.Delivered, 2, reply.EnhancedCode, reply.Code, "ses.delivery", "amazonses"))).ToList());
            default:
                return null;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [];
}
