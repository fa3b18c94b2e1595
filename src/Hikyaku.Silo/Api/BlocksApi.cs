using System.Globalization;
using Hikyaku.Contracts.Grains;
using Hikyaku.Contracts.Model;
using Hikyaku.Domain.Blocks;
using Hikyaku.Domain.Delivery;
using Hikyaku.Grains.Storage;
using Hikyaku.Silo.Auth;

namespace Hikyaku.Silo.Api;

/// <summary>One block as the API shows it.</summary>
/// <param name="Held">How many readers the block held.</param>
/// <param name="ErrorStoppedThenHeld">How many readers the lane error-stopped before the block was seen, then held.</param>
public sealed record BlockResponse(
    string Id, string Provider, string SourceIp, string Kind, string State, DateTimeOffset Since, DateTimeOffset DetectedAt,
    DateTimeOffset? Until, DateTimeOffset? EndedAt, IReadOnlyList<BlockEvidenceResponse> Evidence, int Held, int ErrorStoppedThenHeld, int Restored)
{
    public static BlockResponse From(BlockView b) => new(
        b.Id, b.Provider, b.SourceIp, b.Kind, b.State, b.Since, b.DetectedAt, b.Until, b.EndedAt,
        b.Evidence.Select(BlockEvidenceResponse.From).ToList(), b.Held.Count, b.ErrorStoppedThenHeld.Count, b.Restored.Count);
}

/// <summary>A reply a block was decided on: when, to whom, and what the provider said at which stage.</summary>
public sealed record BlockEvidenceResponse(DateTimeOffset At, string Rcpt, MailLogReply Reply, string Stage, string? Classification)
{
    public static BlockEvidenceResponse From(BlockEvidence e) =>
        new(e.At, e.Recipient, new MailLogReply(e.Reply.Code, e.Reply.Enhanced, e.Reply.Text), e.Reply.Stage.ToString().ToLowerInvariant(), e.Reply.Reason);
}

/// <summary>A reader a block touched.</summary>
public sealed record BlockReaderResponse(string MagazineId, string Email);

/// <summary>One block in full: its evidence, the figures it was decided with, and the readers it touched.</summary>
public sealed record BlockDetailResponse(
    string Id, string Provider, string SourceIp, string Kind, string State, DateTimeOffset Since, DateTimeOffset DetectedAt,
    DateTimeOffset? Until, DateTimeOffset? EndedAt, IReadOnlyList<BlockEvidenceResponse> Evidence, BlockFigures? Figures,
    IReadOnlyList<BlockReaderResponse> Held, IReadOnlyList<BlockReaderResponse> ErrorStoppedThenHeld, IReadOnlyList<BlockReaderResponse> Restored,
    IReadOnlyList<SeedProbeResponse> SeedProbes);

/// <summary>A probe the lane sent to the tenant's seed address: when, to which seed, the reply, and what it meant
/// (<c>passed</c>: counted toward reopening; <c>refused</c>: the block is still there, the cooldown started again;
/// <c>inconclusive</c>: a passing problem, tried again).</summary>
public sealed record SeedProbeResponse(DateTimeOffset At, string Seed, MailLogReply Reply, string Classification, string Outcome)
{
    public static SeedProbeResponse From(SeedProbeView p) =>
        new(p.At, p.Seed, new MailLogReply(p.Reply.Code, p.Reply.Enhanced, p.Reply.Text), p.Reply.Reason ?? ReplyRecords.Classified(p.Reply).Reason!, p.Outcome);
}

public sealed record BlockListResponse(IReadOnlyList<BlockResponse> Items, string? Next);

public sealed record ExtendBlockRequest(DateTimeOffset? Until);

public sealed record RestoreBlockResponse(int Restored, IReadOnlyList<BlockReaderResponse> Readers);

/// <summary>A page of a delist kit: the provider's form or lookup, with the IP filled in where it takes it.</summary>
public sealed record DelistFormResponse(string Label, string Url, string Role, IReadOnlyList<string> Fill);

/// <summary>The block's time window, in UTC and in Japan time.</summary>
public sealed record DelistWindowResponse(DateTimeOffset From, DateTimeOffset? To, DateTimeOffset FromJst, DateTimeOffset? ToJst, DateTimeOffset DetectedAt);

public sealed record DelistAnswerResponse(string Question, string Answer);

/// <summary>
/// What an operator needs to ask a provider to lift a block, in one language: where (<c>formUrl</c> and the other pages),
/// how (<c>steps</c>, <c>answers</c>), and what to paste (<c>evidence</c>: the mail log lines; <c>text</c>: the whole request).
/// </summary>
public sealed record DelistKitResponse(
    string BlockId, string Provider, string Ip, string Kind, string Language, string Name, string? FormUrl, IReadOnlyList<DelistFormResponse> Forms,
    string? Contact, IReadOnlyList<string> Steps, IReadOnlyList<DelistAnswerResponse> Answers, string TypicalTime, bool TestSendFirst,
    DelistWindowResponse Window, IReadOnlyList<string> Evidence, int OmittedLines, string Text, IReadOnlyList<string> Sources,
    IReadOnlyList<DelistTranscriptResponse> Transcripts)
{
    public static DelistKitResponse From(string blockId, DelistKit kit, string language) => new(
        blockId, kit.SiteId, kit.SourceIp, kit.Kind, language, kit.Name.For(language), kit.PrimaryForm?.Url.ToString(),
        kit.Forms.Select(f => new DelistFormResponse(f.Label.For(language), f.Url.ToString(), f.Role, f.Fill.Select(x => x.For(language)).ToList())).ToList(),
        kit.Contact?.For(language), kit.Steps.Select(s => s.For(language)).ToList(),
        kit.Answers.Select(a => new DelistAnswerResponse(a.Question.For(language), a.Answer.For(language))).ToList(),
        kit.TypicalTime.For(language), kit.TestSendFirst,
        new DelistWindowResponse(kit.Window.Since, kit.Window.Until, kit.Window.SinceJst, kit.Window.UntilJst, kit.Window.DetectedAt),
        kit.LogLines, kit.OmittedLines, kit.Text.For(language), kit.Source.Select(u => u.ToString()).ToList(),
        (kit.Transcripts ?? []).Select(t => new DelistTranscriptResponse(t.LogLine, t.Lines)).ToList());
}

/// <summary>The SMTP dialogue behind one of the kit's log lines (the newest refusals that have one).</summary>
public sealed record DelistTranscriptResponse(string Line, IReadOnlyList<string> Transcript);

/// <summary>
/// Blocks: a provider refusing one of the tenant's sending IPs, explicitly or in disguise. Each shows its evidence and the
/// readers it held; an operator can lift it (probe now), extend its cooldown, or undo the incident (restore every reader it
/// touched). Tenant keys see their own IPs' blocks; the admin key sees all.
/// </summary>
public static class BlocksApi
{
    public static void MapBlocksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/blocks").RequireAuthorization(Policies.TenantOrAdmin).WithTags("Blocks");
        group.MapGet("", List).Produces<BlockListResponse>().ProducesValidationProblem()
            .WithSummary("Blocks, current and recent")
            .WithDescription("Newest first, at most `limit` (1 to 1000, default 100) with a `next` cursor: provider, sending IP, kind (`explicit`, `disguised`, `dnsbl`), state (`active`, `probing`, `lifted`, `ended`), since/until, the evidence and how many readers it held.");
        group.MapGet("/{blockId}", Get).Produces<BlockDetailResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One block")
            .WithDescription("The block with its evidence (the replies that decided it), the figures it was decided with (window, baseline, threshold), the readers it touched, "
                + "and the probes its lane sent to the tenant's seed address (`seedProbes`, newest last).");
        group.MapPost("/{blockId}/lift", Lift).Produces<BlockDetailResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Lift a block")
            .WithDescription("Ends the cooldown now: the lane probes at once (a few messages, slowly) and opens when they go through.");
        group.MapPost("/{blockId}/extend", Extend).Accepts<ExtendBlockRequest>("application/json")
            .Produces<BlockDetailResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Extend a block's cooldown")
            .WithDescription("`{until}`: the lane stays cooling down until then (later than its current end).");
        group.MapGet("/{blockId}/delist-kit", DelistKitOf).Produces<DelistKitResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The block's delist kit")
            .WithDescription("What to send the provider to have the block lifted, in `lang` `ja` (default) or `en`: its form (`formUrl`, with the IP filled in where the form takes it) or contact, the steps and the answers to give, the window in UTC and JST, and the mail log lines (メールログ) to paste, newest 20.");
        group.MapGet("/{provider}/{ip}/delist-kit", DelistKitOfIp).Produces<DelistKitResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("The delist kit of a provider's latest block of an IP")
            .WithDescription("As `/v1/blocks/{id}/delist-kit`, for the newest block of `ip` at `provider` (a site id such as `microsoft`, `google`, `apple`, `yahoo`, `docomo`).");
        group.MapPost("/{blockId}/restore", Restore).Produces<RestoreBlockResponse>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Undo the incident (配信可能に戻す)")
            .WithDescription("Makes every reader the block held or error-stopped active again, error counters reset, and answers who.");
    }

    /// <summary>Every site that has had a block (a durable directory: restarts keep it).</summary>
    public static async Task<IReadOnlyList<string>> SitesWithBlocks(IGrainFactory grains)
    {
        var directory = grains.GetGrain<IDirectoryGrain>(IDirectoryGrain.BlockedSites);
        var sites = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await directory.Page(after, 1000);
            sites.AddRange(page);
            if (page.Count < 1000)
            {
                return sites;
            }

            after = page[^1];
        }
    }

    /// <summary>The site a block id names: <c>{siteId}.{n}</c>.</summary>
    public static bool TrySite(string blockId, out string siteId)
    {
        var dot = blockId.LastIndexOf('.');
        siteId = dot > 0 ? blockId[..dot] : string.Empty;
        return dot > 0 && dot < blockId.Length - 1 && blockId.Length <= 300 && blockId[(dot + 1)..].All(char.IsAsciiDigit);
    }

    private static async Task<IResult> List(HttpContext http, IGrainFactory grains, string? limit, string? next)
    {
        var check = new Validate();
        var size = Paging.Limit(check, limit);
        var after = Paging.After(check, next);
        if (!check.Ok)
        {
            return check.Problem;
        }

        var tenantId = http.TenantOrAll();
        var sites = await SitesWithBlocks(grains);
        var all = (await Task.WhenAll(sites.Select(s => grains.GetGrain<IRecipientDomainGrain>(s).ListBlocks(tenantId))))
            .SelectMany(b => b)
            .OrderByDescending(b => b.DetectedAt).ThenBy(b => b.Id, StringComparer.Ordinal)
            .ToList();
        var start = after is null ? 0 : all.FindIndex(b => KeyOf(b) == after) + 1;
        var page = all.Skip(start).Take(size).ToList();
        var more = start + page.Count < all.Count;
        return Results.Ok(new BlockListResponse(page.Select(BlockResponse.From).ToList(), more ? Paging.Cursor(KeyOf(page[^1])) : null));
    }

    private static string KeyOf(BlockView b) => $"{b.DetectedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{b.Id}";

    private static async Task<IResult> Get(string blockId, HttpContext http, IGrainFactory grains) =>
        await Find(blockId, http, grains) is { } block ? Results.Ok(Detail(block)) : NoBlock(blockId);

    private static async Task<IResult> Lift(string blockId, HttpContext http, IGrainFactory grains)
    {
        if (await Find(blockId, http, grains) is not { } block)
        {
            return NoBlock(blockId);
        }

        var lifted = await grains.GetGrain<IRecipientDomainGrain>(block.Provider).Lift(blockId, Who(http));
        return lifted.Succeeded ? Results.Ok(Detail(lifted.Value!)) : Problems.From(lifted.Error!);
    }

    private static async Task<IResult> Extend(string blockId, HttpContext http, IGrainFactory grains)
    {
        var body = await RequestBody.ReadJsonAsync<ExtendBlockRequest>(http);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (body.Value!.Until is not { } until)
        {
            return Problems.Invalid("until", "is required: the instant the cooldown should last until (ISO 8601, e.g. 2026-12-04T09:00:00Z)");
        }

        if (await Find(blockId, http, grains) is not { } block)
        {
            return NoBlock(blockId);
        }

        var extended = await grains.GetGrain<IRecipientDomainGrain>(block.Provider).Extend(blockId, until, Who(http));
        return extended.Succeeded ? Results.Ok(Detail(extended.Value!)) : Problems.From(extended.Error!);
    }

    private static async Task<IResult> Restore(string blockId, HttpContext http, IGrainFactory grains)
    {
        if (await Find(blockId, http, grains) is not { } block)
        {
            return NoBlock(blockId);
        }

        var restored = await grains.GetGrain<IRecipientDomainGrain>(block.Provider).Restore(blockId, http.TenantOrAll(), Who(http));
        return restored.Succeeded
            ? Results.Ok(new RestoreBlockResponse(restored.Value!.Count, restored.Value.Select(Reader).ToList()))
            : Problems.From(restored.Error!);
    }

    private static async Task<IResult> DelistKitOf(string blockId, string? lang, HttpContext http, IGrainFactory grains)
    {
        if (Language(lang) is not { } language)
        {
            return Problems.Invalid("lang", $"'{lang}' is invalid: ja or en");
        }

        return await Find(blockId, http, grains) is { } block ? Results.Ok(await Kit(block, language, grains)) : NoBlock(blockId);
    }

    private static async Task<IResult> DelistKitOfIp(string provider, string ip, string? lang, HttpContext http, IGrainFactory grains)
    {
        if (Language(lang) is not { } language)
        {
            return Problems.Invalid("lang", $"'{lang}' is invalid: ja or en");
        }

        if (!System.Net.IPAddress.TryParse(ip, out var address))
        {
            return Problems.Invalid("ip", $"'{ip}' is not an IP address");
        }

        var sites = await SitesWithBlocks(grains);
        if (!sites.Contains(provider))
        {
            return Problems.NotFound($"no block of {address} at '{provider}'");
        }

        var blocks = await grains.GetGrain<IRecipientDomainGrain>(provider).ListBlocks(http.TenantOrAll());
        return blocks.FirstOrDefault(b => b.SourceIp == address.ToString()) is { } latest
            ? Results.Ok(await Kit(latest, language, grains))
            : Problems.NotFound($"no block of {address} at '{provider}'");
    }

    private static string? Language(string? lang) => lang switch
    {
        null or "" or "ja" => "ja",
        "en" => "en",
        _ => null,
    };

    private static async Task<DelistKitResponse> Kit(BlockView block, string language, IGrainFactory grains)
    {
        var dkim = block.TenantId is { } tenant ? await grains.GetGrain<ITenantGrain>(tenant).GetDkim() : null;
        var kit = DelistKits.Build(new DelistKitInput(
            block.Provider, block.SourceIp, DelistBlockKinds.All.Contains(block.Kind) ? block.Kind : DelistBlockKinds.Explicit,
            block.Since, block.DetectedAt, block.EndedAt ?? block.Until, dkim?.Domain, block.Evidence.Select(DelistEvidence.From).ToList()));
        return DelistKitResponse.From(block.Id, kit, language);
    }

    /// <summary>The block, if it exists and the caller may see it (its own IP's block; any block for the admin).</summary>
    private static async Task<BlockView?> Find(string blockId, HttpContext http, IGrainFactory grains)
    {
        if (!TrySite(blockId, out var siteId))
        {
            return null;
        }

        var block = await grains.GetGrain<IRecipientDomainGrain>(siteId).GetBlock(blockId);
        var tenantId = http.TenantOrAll();
        return block is not null && (tenantId is null || block.TenantId == tenantId) ? block : null;
    }

    private static IResult NoBlock(string blockId) => Problems.NotFound($"no block '{blockId}'");

    private static string Who(HttpContext http) => http.TenantOrAll() is { } tenant ? $"tenant:{tenant}" : "admin";

    private static BlockDetailResponse Detail(BlockView b) => new(
        b.Id, b.Provider, b.SourceIp, b.Kind, b.State, b.Since, b.DetectedAt, b.Until, b.EndedAt, b.Evidence.Select(BlockEvidenceResponse.From).ToList(),
        b.Figures, b.Held.Select(Reader).ToList(), b.ErrorStoppedThenHeld.Select(Reader).ToList(), b.Restored.Select(Reader).ToList(),
        (b.SeedProbes ?? []).Select(SeedProbeResponse.From).ToList());

    private static BlockReaderResponse Reader(string readerKey)
    {
        var (_, magazine, email) = GrainKeys.SplitReader(readerKey);
        return new BlockReaderResponse(magazine, email);
    }
}
