using Hikyaku.Bounces;

namespace Hikyaku.Cli.Commands;

/// <summary>
/// <c>hikyaku classify FILE.eml...</c> prints one JSON line per failed recipient;
/// <c>hikyaku classify --reply "550 5.1.1 ..." [--stage rcpt]</c> prints one line for the reply.
/// Input that cannot be classified gives <c>"reason":"undefined"</c> with an <c>error</c>, never a
/// crash; the exit code is non-zero only when a file cannot be read (1) or the usage is wrong (2).
/// </summary>
public static class ClassifyCommand
{
    /// <summary>Runs the command; output goes to <paramref name="stdout"/>, problems to <paramref name="stderr"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? reply = null;
        var stage = SmtpStage.Unknown;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reply" when i + 1 < args.Length:
                    reply = args[++i];
                    break;
                case "--stage" when i + 1 < args.Length && SmtpStages.TryParse(args[i + 1], out stage):
                    i++;
                    break;
                case var a when a.StartsWith("--", StringComparison.Ordinal):
                    stderr.WriteLine($"classify: unknown or incomplete option {a}");
                    return 2;
                default:
                    files.Add(args[i]);
                    break;
            }
        }

        if (reply is not null)
        {
            stdout.WriteLine(ClassifyLine.ForReply(SmtpReply.Parse(reply, stage)));
            return 0;
        }

        if (files.Count == 0)
        {
            stderr.WriteLine("classify: give FILE.eml... or --reply \"TEXT\" [--stage connect|helo|mail|rcpt|data]");
            return 2;
        }

        var exit = 0;
        foreach (var file in files)
        {
            exit = Math.Max(exit, ClassifyFile(file, stdout, stderr));
        }

        return exit;
    }

    private static int ClassifyFile(string file, TextWriter stdout, TextWriter stderr)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            stderr.WriteLine($"classify: cannot read {file}: {e.Message}");
            return 1;
        }

        BounceReport report;
        try
        {
            report = BounceMessageParser.Parse(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parser is meant never to throw on bad input; if it does, the line says so instead of a crash.
            report = BounceReport.Unreadable($"{e.GetType().Name}: {e.Message}");
        }

        foreach (var line in ClassifyLine.ForReport(file, report))
        {
            stdout.WriteLine(line);
        }

        return 0;
    }
}
