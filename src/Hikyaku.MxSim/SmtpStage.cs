namespace Hikyaku.MxSim;

/// <summary>The point of an SMTP session at which a provider answers (RFC 5321 §3.3).</summary>
public enum SmtpStage
{
    /// <summary>The TCP connection was accepted, before the 220 banner.</summary>
    Connect,

    /// <summary>The MAIL FROM command.</summary>
    MailFrom,

    /// <summary>A RCPT TO command.</summary>
    RcptTo,

    /// <summary>The end of the DATA content (the final dot).</summary>
    Data,
}
