namespace Hikyaku.Bounces.Tests;

/// <summary>
/// Only bounces are bounces: Corpus/not-bounces holds automatic replies in many languages, challenge-response
/// requests, delay warnings and ordinary mail as they reach a return path. Each must come out as what it is
/// (the file name's prefix says which), with nothing for the reader's status to act on.
/// </summary>
public sealed class NotABounceCorpusTests
{
    private static readonly Dictionary<string, BounceKind> KindOfPrefix = new(StringComparer.Ordinal)
    {
        ["auto"] = BounceKind.AutoReply,
        ["challenge"] = BounceKind.Challenge,
        ["delay"] = BounceKind.Delayed,
        ["mail"] = BounceKind.NotABounce,
    };

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Corpus", "not-bounces");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void Corpus_holds_at_least_30_messages_of_every_kind_and_several_languages()
    {
        var names = System.IO.Directory.GetFiles(Directory, "*.eml").Select(Path.GetFileName).OfType<string>().ToList();
        Assert.True(names.Count >= 30, $"{names.Count} messages, want at least 30");
        Assert.All(KindOfPrefix.Keys, prefix => Assert.Contains(names, n => n.StartsWith(prefix + "-", StringComparison.Ordinal)));
        Assert.True(names.Count(n => n.StartsWith("auto-", StringComparison.Ordinal)) >= 10, "want automatic replies in many languages");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Message_comes_out_as_what_it_is_never_as_a_failure(string file)
    {
        using var stream = File.OpenRead(Path.Combine(Directory, file));
        var report = BounceMessageParser.Parse(stream);
        var expected = KindOfPrefix[file[..file.IndexOf('-', StringComparison.Ordinal)]];
        Assert.Equal(expected, report.Kind);
        Assert.False(report.Kind.IsFailure());
        Assert.All(report.Recipients, r => Assert.Equal((ActionClass.NotABounce, false), (r.Classification.Action, r.Classification.Hard)));
    }
}
