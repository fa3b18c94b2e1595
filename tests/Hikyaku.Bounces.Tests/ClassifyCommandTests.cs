using System.Text.Json;
using Hikyaku.Cli.Commands;
using Hikyaku.Testing;

namespace Hikyaku.Bounces.Tests;

/// <summary>The <c>hikyaku classify</c> command, run in-process.</summary>
public sealed class ClassifyCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("hikyaku-classify-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Exit, List<JsonElement> Lines, string Error) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = ClassifyCommand.Run(args, stdout, stderr);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (exit, lines, stderr.ToString());
    }

    [Fact]
    public void Reply_mode_prints_one_json_line_with_the_verdict()
    {
        var (exit, lines, _) = Run("--reply", "550 Unknown user kijitora@docomo.ne.jp", "--stage", "data");
        var line = Assert.Single(lines);
        Assert.Equal(0, exit);
        Assert.Equal(("filtered", false, "content-rejected", "docomo.unknown-user-after-data", 550),
            (line.GetProperty("reason").GetString(), line.GetProperty("hard").GetBoolean(), line.GetProperty("action").GetString(),
             line.GetProperty("rule").GetString(), line.GetProperty("replyCode").GetInt32()));
    }

    [Fact]
    public void File_mode_prints_one_line_per_failed_recipient()
    {
        var file = Path.Combine(dir, "dsn.eml");
        File.WriteAllText(file, Messages.Dsn.ReplaceLineEndings("\r\n"));
        var (exit, lines, _) = Run(file);
        Assert.Equal(0, exit);
        Assert.Equal(["gone@example.jp:userunknown:5.1.1", "full@example.jp:mailboxfull:4.2.2"],
            lines.Select(l => $"{l.GetProperty("recipient").GetString()}:{l.GetProperty("reason").GetString()}:{l.GetProperty("status").GetString()}"));
        Assert.All(lines, l => Assert.Equal(file, l.GetProperty("file").GetString()));
    }

    [Fact]
    public void Garbage_input_gives_undefined_with_an_error_field_and_exit_zero()
    {
        var file = Path.Combine(dir, "garbage.eml");
        var bytes = new byte[2048];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(file, bytes);
        var (exit, lines, _) = Run(file);
        var line = Assert.Single(lines);
        Assert.Equal(0, exit);
        Assert.Equal("undefined", line.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("error").GetString()));
    }

    [Fact]
    public void Reply_without_a_code_still_prints_a_line_with_an_error()
    {
        var (exit, lines, _) = Run("--reply", "nyaan");
        var line = Assert.Single(lines);
        Assert.Equal((0, "undefined"), (exit, line.GetProperty("reason").GetString()));
        Assert.True(line.TryGetProperty("error", out _));
    }

    [Fact]
    public void Unreadable_file_exits_non_zero_with_a_message_on_stderr_and_the_other_files_still_classified()
    {
        var good = Path.Combine(dir, "dsn.eml");
        File.WriteAllText(good, Messages.Dsn);
        var (exit, lines, error) = Run(Path.Combine(dir, "missing.eml"), good);
        Assert.NotEqual(0, exit);
        Assert.Contains("missing.eml", error, StringComparison.Ordinal);
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public void Directory_given_as_a_file_is_an_unreadable_file_not_a_crash()
    {
        var (exit, lines, error) = Run(dir);
        Assert.Equal(1, exit);
        Assert.Empty(lines);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Usage_error_without_input_exits_two() => Assert.Equal(2, Run().Exit);

    [SkippableFact]
    public void Every_corpus_file_gives_at_least_one_line_and_no_crash()
    {
        var corpus = SharedCorpus.RequireBounces();
        var files = Directory.GetFiles(corpus, "*.eml").Order().ToArray();
        var (exit, lines, error) = Run(files);
        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Equal(files.Length, lines.Select(l => l.GetProperty("file").GetString()).Distinct().Count());
    }
}
