using System.Text;
using Hikyaku.Smtp.Sending;
using MailKit;

namespace Hikyaku.Smtp.Tests;

/// <summary>A relay's login never reaches a transcript: MailKit points out the secrets of AUTH and the recorder masks them.</summary>
public sealed class TranscriptSecretTests
{
    [Fact]
    public void Auth_secrets_that_mailkit_points_out_are_masked_and_the_rest_of_the_line_is_kept()
    {
        var recorder = new TranscriptRecorder { AuthenticationSecretDetector = new Detector("dGVuYW50AHRlbmFudABzM2NyM3Q=") };
        var line = Encoding.ASCII.GetBytes("xxAUTH PLAIN dGVuYW50AHRlbmFudABzM2NyM3Q=\r\nyy");
        recorder.LogClient(line, 2, line.Length - 4);
        recorder.LogServer(Encoding.ASCII.GetBytes("235 2.7.0 Authentication successful\r\n"), 0, 37);

        var transcript = string.Join('\n', recorder.Take());
        Assert.DoesNotContain("dGVuYW50", transcript, StringComparison.Ordinal);
        Assert.Contains("C: AUTH PLAIN ****************************", transcript, StringComparison.Ordinal);
        Assert.Contains("S: 235 2.7.0 Authentication successful", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_secret_the_client_line_is_recorded_as_sent()
    {
        var recorder = new TranscriptRecorder { AuthenticationSecretDetector = new Detector(null) };
        var line = Encoding.ASCII.GetBytes("MAIL FROM:<news@example.jp>\r\n");
        recorder.LogClient(line, 0, line.Length);
        Assert.Equal(["C: MAIL FROM:<news@example.jp>"], recorder.Take());
    }

    /// <summary>Points out <paramref name="secret"/> wherever it is in the buffer, as MailKit's SASL detectors do.</summary>
    private sealed class Detector(string? secret) : IAuthenticationSecretDetector
    {
        public IList<AuthenticationSecret> DetectSecrets(byte[] buffer, int offset, int count)
        {
            if (secret is null)
            {
                return [];
            }

            var text = Encoding.ASCII.GetString(buffer, offset, count);
            var at = text.IndexOf(secret, StringComparison.Ordinal);
            return at < 0 ? [] : [new AuthenticationSecret(offset + at, secret.Length)];
        }
    }
}
