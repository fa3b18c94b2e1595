using System.Text;

namespace Hikyaku.Benchmarks.Bounces;

/// <summary>Random and mutated bounce messages: what a hostile or broken MTA might send back.</summary>
internal sealed class FuzzInputs(List<(string Name, byte[] Bytes)> corpus, int seed)
{
    private static readonly string[] Fragments =
    [
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"X\"\r\n",
        "Content-Type: message/delivery-status\r\n\r\n", "--X\r\n", "--X--\r\n", "Final-Recipient: rfc822; ",
        "Status: 5.1.1\r\n", "Diagnostic-Code: smtp; 550 ", "Action: delayed\r\n", "Auto-Submitted: auto-replied\r\n",
        "Content-Type: message/feedback-report\r\n", "X-Failed-Recipients: a@b.c\r\n", "{\"notificationType\":\"Bounce\",",
        "Content-Transfer-Encoding: base64\r\n", "=?utf-8?B?5pel5pys?=", "<<< 550 5.7.1 ", ">>> RCPT TO:<", "\r\n\t", "@", "<", ">",
    ];

    private readonly Random random = new(seed);

    /// <summary>The next input and a short description of how it was made.</summary>
    public (byte[] Bytes, string How) Next()
    {
        var kind = random.Next(corpus.Count == 0 ? 2 : 8);
        return kind switch
        {
            0 => (RandomBytes(random.Next(0, 8192)), "random bytes"),
            1 => (Encoding.UTF8.GetBytes(RandomFragments(random.Next(1, 200))), "random DSN fragments"),
            _ => Mutate(corpus[random.Next(corpus.Count)]),
        };
    }

    private (byte[] Bytes, string How) Mutate((string Name, byte[] Bytes) source)
    {
        var bytes = (byte[])source.Bytes.Clone();
        var op = random.Next(6);
        switch (op)
        {
            case 0:
                for (var i = random.Next(1, 64); i > 0 && bytes.Length > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return (bytes, $"{source.Name} with bytes flipped");
            case 1:
                return (bytes[..random.Next(bytes.Length + 1)], $"{source.Name} truncated");
            case 2:
                return (Splice(bytes, Encoding.UTF8.GetBytes(RandomFragments(random.Next(1, 20)))), $"{source.Name} with fragments inserted");
            case 3:
                var other = corpus[random.Next(corpus.Count)].Bytes;
                return ([.. bytes[..random.Next(bytes.Length + 1)], .. other[random.Next(other.Length + 1)..]], $"{source.Name} spliced with another");
            case 4:
                return (Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("boundary", "boundery", StringComparison.OrdinalIgnoreCase)), $"{source.Name} without boundaries");
            default:
                var chunk = bytes[..Math.Min(bytes.Length, random.Next(1, 4096))];
                return ([.. bytes, .. Enumerable.Repeat(chunk, random.Next(1, 50)).SelectMany(c => c)], $"{source.Name} with a repeated tail");
        }
    }

    private byte[] Splice(byte[] bytes, byte[] insert)
    {
        var at = random.Next(bytes.Length + 1);
        return [.. bytes[..at], .. insert, .. bytes[at..]];
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private string RandomFragments(int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append(Fragments[random.Next(Fragments.Length)]);
            if (random.Next(4) == 0)
            {
                sb.Append(random.Next(100, 600)).Append(' ').Append((char)random.Next('a', 'z' + 1), random.Next(1, 30));
            }
        }

        return sb.ToString();
    }
}
