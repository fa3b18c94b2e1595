using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Hikyaku.Smtp.Composition;
using Hikyaku.Smtp.Dkim;

namespace Hikyaku.Benchmarks.Smtp;

/// <summary>A realistic mail-magazine issue: Japanese text and HTML, about 10 KB once encoded.</summary>
internal static class SampleIssue
{
    public static MailContent Content(DkimKey? dkim)
    {
        var text = new StringBuilder();
        var html = new StringBuilder("<html><body>");
        for (var i = 0; text.Length < 1_500; i++)
        {
            text.Append($"{i + 1}. 今週の特集：季節のおすすめ商品と読者の皆さまからのお便りをご紹介します。\n");
            html.Append($"<p>{i + 1}. 今週の特集：<b>季節のおすすめ商品</b>と読者の皆さまからのお便りをご紹介します。</p>\n");
        }
        html.Append("</body></html>");
        return new MailContent("b:bench", "news@magazine.example.jp", "週刊ひきゃく", "今週のお知らせ", text.ToString(), html.ToString(), "t-bench", "m-bench")
        {
            Dkim = dkim,
            ListUnsubscribeBaseUrl = "https://hikyaku.example/u/",
        };
    }

    public static int Size(MailContent content) => new MessageComposer(content).Compose("size@gmail.com", "t").Content.Length;

    /// <summary>RSA-2048 PKCS#1 signatures of a SHA-256 digest per CPU second on one thread (OpenSSL through .NET).</summary>
    public static double RsaSignaturesPerSecond()
    {
        using var rsa = RSA.Create(2048);
        var digest = SHA256.HashData("benchmark"u8);
        return PerCpuSecond(_ => rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>How many times <paramref name="work"/> runs per CPU second of this process, over 2 s of wall time.</summary>
    public static double PerCpuSecond(Action<int> work)
    {
        var n = 0;
        var cpu = Bounces.BenchmarkArgs.CpuTime();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(2)) work(n++);
        return n / (Bounces.BenchmarkArgs.CpuTime() - cpu).TotalSeconds;
    }
}
