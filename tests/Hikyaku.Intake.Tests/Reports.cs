using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Bounces;
using Hikyaku.Intake.Processing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hikyaku.Intake.Tests;

/// <summary>The reader, its return path, and reports written as real MTAs write them.</summary>
public static class Reports
{
    public const string BounceDomain = "bounce.hikyaku.example";
    public static readonly ReturnPathToken Tokens = new("intake-test-secret");
    public static readonly ReturnPath Taro = new("acme", "news", "taro@example.jp", "b:0195f0a1b2c34d5e8f90123456789abc");

    public static string ReturnPathOf(ReturnPath path) => Tokens.Address(path, BounceDomain);

    public static BounceProcessor Processor(IBounceRecorder recorder, ILogger<BounceProcessor>? logger = null) =>
        new(Tokens, BounceDomain, recorder, logger ?? NullLogger<BounceProcessor>.Instance);

    /// <summary>Takes what the processor hands over; can be told to fail like an unreachable cluster.</summary>
    public sealed class RecordingRecorder : IBounceRecorder
    {
        private readonly HashSet<string> _seen = [];

        public List<(ReturnPath Path, BounceNotice Notice)> Recorded { get; } = [];

        public bool Fail { get; set; }

        public Task<BounceRecordResult> RecordAsync(ReturnPath path, BounceNotice notice, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new TimeoutException("the cluster did not answer");
            }

            if (!_seen.Add(notice.BounceId))
            {
                return Task.FromResult(new BounceRecordResult(BounceRecordOutcome.Duplicate, false, false));
            }

            Recorded.Add((path, notice));
            return Task.FromResult(new BounceRecordResult(BounceRecordOutcome.Recorded, notice.Action == "address-dead", notice.Kind == BounceKinds.Complaint));
        }
    }
}
