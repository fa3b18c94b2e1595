namespace Hikyaku.Bounces;

/// <summary>The SMTP command a reply answered (RFC 5321 section 3). Some providers mean different things at different stages.</summary>
public enum SmtpStage
{
    /// <summary>Not known (e.g. a bounce text that does not say).</summary>
    Unknown,

    /// <summary>The greeting on connect.</summary>
    Connect,

    /// <summary>EHLO / HELO.</summary>
    Helo,

    /// <summary>MAIL FROM.</summary>
    Mail,

    /// <summary>RCPT TO.</summary>
    Rcpt,

    /// <summary>DATA or the end of data.</summary>
    Data,
}

/// <summary>Stage names as they are written on the command line and in rule files.</summary>
public static class SmtpStages
{
    /// <summary>Parses connect / helo / ehlo / mail / rcpt / data (case-insensitive).</summary>
    public static bool TryParse(string? text, out SmtpStage stage)
    {
        stage = text?.Trim().ToLowerInvariant() switch
        {
            "connect" or "banner" or "conn" => SmtpStage.Connect,
            "helo" or "ehlo" => SmtpStage.Helo,
            "mail" or "mail from" => SmtpStage.Mail,
            "rcpt" or "rcpt to" => SmtpStage.Rcpt,
            "data" or "end of data" => SmtpStage.Data,
            _ => SmtpStage.Unknown,
        };
        return stage != SmtpStage.Unknown || string.Equals(text?.Trim(), "unknown", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The lower-case name used in rule files.</summary>
    public static string Name(this SmtpStage stage) => stage switch
    {
        SmtpStage.Connect => "connect",
        SmtpStage.Helo => "helo",
        SmtpStage.Mail => "mail",
        SmtpStage.Rcpt => "rcpt",
        SmtpStage.Data => "data",
        _ => "unknown",
    };
}
