using Hikyaku.Contracts.Grains;
using Hikyaku.Domain.Unsubscribe;
using Hikyaku.Grains.Storage;

namespace Hikyaku.Silo.Api;

/// <summary>
/// The List-Unsubscribe target. POST is RFC 8058 one-click (the mail client posts <c>List-Unsubscribe=One-Click</c>
/// without the reader seeing a page); GET shows a page with a button, since a link prefetcher must not unsubscribe.
/// The token is sealed, so it names its reader without exposing the address.
/// </summary>
public static class UnsubscribeEndpoint
{
    public static void MapUnsubscribeEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/u/{token}", async (string token, UnsubscribeToken tokens, IGrainFactory grains) =>
        {
            if (!tokens.TryRead(token, out var tenant, out var magazine, out var email))
            {
                return Problems.NotFound("unknown unsubscribe link");
            }

            var result = await grains.GetGrain<ISubscriberGrain>(GrainKeys.Reader(tenant, magazine, email)).Unsubscribe("one-click");
            return result.Succeeded || result.Error!.Kind == Contracts.Model.ErrorKind.Conflict
                ? Results.Content("<!doctype html><meta charset=utf-8><title>Unsubscribed</title><p>You are unsubscribed. 配信を停止しました。</p>", "text/html; charset=utf-8")
                : Problems.NotFound("unknown unsubscribe link");
        }).DisableAntiforgery().WithTags("Unsubscribe").ExcludeFromDescription();

        app.MapGet("/u/{token}", (string token, UnsubscribeToken tokens) =>
            tokens.TryRead(token, out _, out _, out _)
                ? Results.Content($"<!doctype html><meta charset=utf-8><title>Unsubscribe</title><form method=post action=\"/u/{Uri.EscapeDataString(token)}\"><p>Stop receiving this magazine? 配信を停止しますか？</p><button name=List-Unsubscribe value=One-Click>Unsubscribe / 配信停止</button></form>", "text/html; charset=utf-8")
                : Problems.NotFound("unknown unsubscribe link")).WithTags("Unsubscribe").ExcludeFromDescription();
    }
}
