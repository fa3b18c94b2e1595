using System.Text.Json;
using Hikyaku.Bounces;

namespace Hikyaku.Cli.Commands;

/// <summary>The JSON lines <c>hikyaku classify</c> prints.</summary>
internal static class ClassifyLine
{
    public static IEnumerable<string> ForReport(string file, BounceReport report)
    {
        if (report.Recipients.Count == 0)
        {
            yield return Write(w =>
            {
                w.WriteString("file", file);
                w.WriteNull("recipient");
                w.WriteString("kind", report.Kind.Name());
                w.WriteString("reason", BounceReason.Undefined.Name());
                w.WriteNull("status");
                w.WriteNull("replyCode");
                w.WriteBoolean("hard", false);
                w.WriteString("action", ActionClass.AddressSoft.Name());
                w.WriteNull("rule");
                w.WriteString("error", report.Error ?? "no recipient found");
            });
            yield break;
        }

        foreach (var r in report.Recipients)
        {
            yield return Write(w =>
            {
                w.WriteString("file", file);
                w.WriteString("recipient", r.Recipient);
                w.WriteString("kind", report.Kind.Name());
                Fields(w, r.Classification);
                w.WriteString("diagnostic", r.DiagnosticText);
            });
        }
    }

    public static string ForReply(SmtpReply reply) => Write(w =>
    {
        w.WriteString("reply", reply.Text);
        w.WriteString("stage", reply.Stage.Name());
        Fields(w, ReplyClassifier.Classify(reply));
        if (reply.Code == 0 && reply.EnhancedCode is null)
        {
            w.WriteString("error", "no SMTP reply code found");
        }
    });

    private static void Fields(Utf8JsonWriter w, Classification c)
    {
        w.WriteString("reason", c.Reason.Name());
        w.WriteString("status", c.Status);
        if (c.ReplyCode > 0)
        {
            w.WriteNumber("replyCode", c.ReplyCode);
        }
        else
        {
            w.WriteNull("replyCode");
        }

        w.WriteBoolean("hard", c.Hard);
        w.WriteString("action", c.Action.Name());
        w.WriteString("rule", c.RuleId);
        w.WriteString("provider", c.Provider);
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
