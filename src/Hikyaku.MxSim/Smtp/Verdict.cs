using Hikyaku.MxSim.Catalog;

namespace Hikyaku.MxSim.Smtp;

/// <summary>What a provider answers at one stage: go on, a reply of its own, or a dropped connection.</summary>
internal readonly record struct Verdict(VerdictKind Kind, ReplyTemplate? Reply)
{
    public static Verdict Accept => new(VerdictKind.Accept, null);

    public static Verdict Drop => new(VerdictKind.Drop, null);

    public static Verdict Refuse(ReplyTemplate reply) => new(VerdictKind.Refuse, reply);
}

internal enum VerdictKind
{
    Accept,
    Refuse,
    Drop,
}
