using Hikyaku.Silo.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Hikyaku.Silo.Hosting;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and its reference page (<c>/docs</c>): the bearer scheme every
/// key-protected operation requires (saying which key), one tag per area, and summaries for routes that do not carry
/// their own. Summaries and descriptions belong on the route registrations (<c>.WithSummary</c>); the table in
/// <see cref="OpenApiSummaries"/> covers the routes of files other work changes often.
/// </summary>
public static class HikyakuOpenApi
{
    public const string BearerScheme = "Bearer";

    /// <summary>The areas of the API, in the order the reference page lists them; every operation has exactly one.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> Tags =
    [
        ("Admin", "The hosting operator's routes (admin key): tenants, their sending IPs, providers, projections, where grains run."),
        ("Magazines", "A tenant's magazines (mail-magazine lists), their settings and step sequences (ステップメール)."),
        ("Subscribers", "Readers of a magazine: subscribe, import, look up, history, mail log (メールログ), undeliverable list (不達読者一覧)."),
        ("Broadcasts", "Broadcasts (一斉送信 / 号外) and the delivery history (配信履歴)."),
        ("Settings", "A tenant's sending settings (一斉送信数 / 待機時間, cooldown, relay) and DKIM key."),
        ("Diagnosis", "Where a domain's mail goes, the lanes toward it, and test deliveries (テスト送信)."),
        ("Blocks", "A provider refusing one of the tenant's sending IPs, explicitly or in disguise: evidence, held readers, lift, extend and incident undo."),
        ("Sandbox", "The embedded sandbox's simulated providers (admin key; only when Delivery:Sandbox is on): make one block a sending IP for a while."),
    ];

    public static IServiceCollection AddHikyakuOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                OpenApiSummaries.Fill(operation, context.Description.HttpMethod, context.Description.RelativePath);
                RequireKey(operation, context);
                DescribePaging(operation);
                return Task.CompletedTask;
            });
        });

    /// <summary>The reference page, whose sample requests carry <c>Authorization: Bearer …</c> (the key is typed in once).</summary>
    public static void MapHikyakuApiReference(this WebApplication app) =>
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Hikyaku API")
            .AddPreferredSecuritySchemes(BearerScheme)
            .AddHttpAuthentication(BearerScheme, scheme => scheme.Token = "your-admin-or-tenant-key"));

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Hikyaku API";
        document.Info.Description =
            "Multi-tenant mail-magazine and step-mail delivery. Every route under /v1 takes `Authorization: Bearer <key>`: "
            + "the admin key for the operator's routes (tag Admin), a tenant's API key for the rest. Errors are RFC 9457 problem+json.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin key (Hikyaku:AdminKey) for admin routes; a tenant's API key (from POST /v1/tenants) for tenant routes.",
        };
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }

    /// <summary>
    /// <c>limit</c> and <c>next</c> are read as text so that a bad value is refused with a message naming them (not the
    /// framework's bare 400); the document still says what they hold.
    /// </summary>
    private static void DescribePaging(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter is { Name: "limit", In: ParameterLocation.Query })
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
                parameter.Description = "How many items to answer: a whole number from 1 to the operation's maximum.";
            }
            else if (parameter is { Name: "next", In: ParameterLocation.Query })
            {
                parameter.Description = "The opaque cursor from the previous page's `next`; omit it for the first page.";
            }
        }
    }

    /// <summary>Operations behind an authorization policy require the bearer scheme; their description says which key.</summary>
    private static void RequireKey(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
        if (policies.Count == 0 || metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
        var key = policies.Contains(Policies.Admin) ? "the admin key" : "a tenant's API key";
        operation.Description = $"{operation.Description?.TrimEnd()}{(string.IsNullOrEmpty(operation.Description) ? "" : "\n\n")}Needs {key}.";
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No key, or a key that is not valid." });
        if (policies.Contains(Policies.Admin))
        {
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "A tenant's key on an admin route." });
        }
    }
}
