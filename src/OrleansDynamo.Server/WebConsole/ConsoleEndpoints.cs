using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OrleansDynamo.Errors;
using OrleansDynamo.Security;
using OrleansDynamo.Server.Protocol;

namespace OrleansDynamo.Server.WebConsole;

/// <summary>
/// The web console on the admin port: a static page (<c>/console</c>, its script and style embedded in this assembly)
/// that works through <c>POST /console/api</c>, which runs DynamoDB requests as the HTTP endpoint does.
/// <para>With <c>--auth sigv4</c> the console signs in with a principal's access key and secret (checked against the
/// credentials file) and runs every request under that principal's policy. Every POST carries the page's anti-forgery
/// token: a cookie the page reads and repeats in a header, which another site can neither read nor set.</para>
/// </summary>
internal static class ConsoleEndpoints
{
    private const string SessionCookie = "odyn-console";
    private const string ForgeryCookie = "odyn-csrf";
    private const string ForgeryHeader = "X-Odyn-Csrf";
    private const string CookiePath = "/console";

    private static readonly Dictionary<string, string> Assets = new(StringComparer.Ordinal)
    {
        ["/console"] = "index.html", // routing matches "/console/" too
        ["/console/console.js"] = "console.js",
        ["/console/console.css"] = "console.css",
    };

    public static bool IsConsolePath(PathString path) => path.StartsWithSegments(CookiePath);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints, ServerOptions options)
    {
        foreach (var (path, name) in Assets) endpoints.MapGet(path, context => ServeAssetAsync(context, name));
        endpoints.MapGet("/console/session", context => WriteSessionAsync(context, options));
        endpoints.MapPost("/console/login", SignInAsync);
        endpoints.MapPost("/console/logout", SignOutAsync);
        endpoints.MapPost("/console/api", context => RunAsync(context, options));
        endpoints.MapGet("/console/partitions", context => WritePartitionsAsync(context, options));
        return endpoints;
    }

    private static async Task ServeAssetAsync(HttpContext context, string name)
    {
        await using var asset = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream($"OrleansDynamo.Server.WebConsole.{name}")
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded");
        if (name == "index.html" && !context.Request.Cookies.ContainsKey(ForgeryCookie))
            context.Response.Cookies.Append(ForgeryCookie, ConsoleSessions.NewToken(), Cookie(context, httpOnly: false));
        context.Response.ContentType = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
            : name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        // The page runs nothing from elsewhere, and no other site may frame it.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await asset.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task WriteSessionAsync(HttpContext context, ServerOptions options)
    {
        var principal = Principal(context);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new ConsoleSession(options.RequiresSignatures, principal?.Name), ConsoleJson.Default.ConsoleSession));
    }

    private static async Task SignInAsync(HttpContext context)
    {
        if (ForgeryRefusal(context) is { } refusal)
        {
            await ErrorWriter.WriteAsync(context.Response, refusal);
            return;
        }
        var login = await JsonSerializer.DeserializeAsync(context.Request.Body, ConsoleJson.Default.ConsoleLogin, context.RequestAborted);
        var credentials = context.RequestServices.GetService<CredentialStore>();
        if (login?.AccessKeyId is not { } key || login.SecretAccessKey is not { } secret || credentials is null
            || !credentials.TryFind(key, out var principal) || !SameSecret(principal.SecretAccessKey, secret))
        {
            await ErrorWriter.WriteAsync(context.Response, DynamoErrors.ConsoleSignInFailed());
            return;
        }
        var sessions = context.RequestServices.GetRequiredService<ConsoleSessions>();
        context.Response.Cookies.Append(SessionCookie, sessions.Open(principal), Cookie(context, httpOnly: true));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new ConsoleSession(true, principal.Name), ConsoleJson.Default.ConsoleSession));
    }

    private static Task SignOutAsync(HttpContext context)
    {
        if (ForgeryRefusal(context) is { } refusal) return ErrorWriter.WriteAsync(context.Response, refusal);
        context.RequestServices.GetRequiredService<ConsoleSessions>().Close(context.Request.Cookies[SessionCookie]);
        context.Response.Cookies.Delete(SessionCookie, Cookie(context, httpOnly: true));
        return Task.CompletedTask;
    }

    private static Task RunAsync(HttpContext context, ServerOptions options)
    {
        var principal = Principal(context);
        var refusal = ForgeryRefusal(context) ?? (options.RequiresSignatures && principal is null ? DynamoErrors.ConsoleSignInRequired() : null);
        return refusal is not null ? ErrorWriter.WriteAsync(context.Response, refusal) : DynamoEndpoint.HandleConsoleAsync(context, principal);
    }

    /// <summary>The partition map for the console: silos, partitions, items, bytes and requests (see <c>/admin/partitions/map</c>).</summary>
    private static async Task WritePartitionsAsync(HttpContext context, ServerOptions options)
    {
        if (options.RequiresSignatures)
        {
            if (Principal(context) is not { } principal)
            {
                await ErrorWriter.WriteAsync(context.Response, DynamoErrors.ConsoleSignInRequired());
                return;
            }
            context.RequestServices.GetRequiredService<RequestAuthorizer>().AuthorizeAdmin(principal);
        }
        var map = await Admin.AdminEndpoints.PartitionMapAsync(context.RequestServices.GetRequiredService<IGrainFactory>());
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, map, Admin.AdminJson.Default.ListPartitionMapEntry, context.RequestAborted);
    }

    private static DynamoException? ForgeryRefusal(HttpContext context)
    {
        var cookie = context.Request.Cookies[ForgeryCookie];
        var header = context.Request.Headers[ForgeryHeader].ToString();
        return string.IsNullOrEmpty(cookie) || !SameSecret(cookie, header) ? DynamoErrors.ConsoleForgeryRefused() : null;
    }

    private static Principal? Principal(HttpContext context) =>
        context.RequestServices.GetRequiredService<ConsoleSessions>().Find(context.Request.Cookies[SessionCookie]);

    private static bool SameSecret(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    private static CookieOptions Cookie(HttpContext context, bool httpOnly) => new()
    {
        HttpOnly = httpOnly, SameSite = SameSiteMode.Strict, Path = CookiePath, Secure = context.Request.IsHttps, IsEssential = true,
    };
}

internal sealed record ConsoleSession(bool SignInRequired, string? Principal);

internal sealed record ConsoleLogin(string? AccessKeyId, string? SecretAccessKey);

[System.Text.Json.Serialization.JsonSerializable(typeof(ConsoleSession))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ConsoleLogin))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ConsoleJson : System.Text.Json.Serialization.JsonSerializerContext;
