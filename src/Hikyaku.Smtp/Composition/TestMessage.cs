namespace Hikyaku.Smtp.Composition;

/// <summary>
/// The test message (テスト送信): what test deliveries send, and what a probing lane sends to the tenant's seed address. It
/// says what it is, so the owner of the mailbox knows why it came; it carries no unsubscribe link (it goes to no reader).
/// </summary>
public static class TestMessage
{
    /// <summary>The display name of its sender.</summary>
    public const string FromName = "Hikyaku test";

    /// <summary>Its subject, followed by the purpose when there is one.</summary>
    public const string Subject = "Hikyaku test delivery";

    /// <summary>The From address when the caller names none: the postmaster of the name the silo greets with.</summary>
    /// <param name="options">The delivery options (their HELO name).</param>
    /// <returns><c>postmaster@{HeloName}</c>.</returns>
    public static string DefaultFrom(DeliveryOptions options) => $"postmaster@{options.HeloName}";

    /// <summary>A composer of the test message; each composer has its own Message-ID key.</summary>
    /// <param name="fromAddress">The From address.</param>
    /// <param name="tenantId">The tenant, for the Feedback-ID header.</param>
    /// <param name="purpose">Why it is sent, added to the subject and body (e.g. a probe after a block); null for a plain test.</param>
    /// <param name="time">The clock for the Date header.</param>
    /// <returns>The composer.</returns>
    public static MessageComposer Composer(string fromAddress, string tenantId, string? purpose = null, TimeProvider? time = null) =>
        new(new MailContent(
            $"t:{Guid.NewGuid():N}", fromAddress, FromName, purpose is null ? Subject : $"{Subject}: {purpose}",
            "This is a test message sent to check delivery from this sending IP." + (purpose is null ? string.Empty : $"\nIt is {purpose}."),
            null, tenantId, "test"),
            time);
}
