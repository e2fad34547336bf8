using System.CommandLine;

namespace OrleansDynamo.Cli;

/// <summary>The options every command takes; recursive, so they may stand before or after the command's name.</summary>
internal static class GlobalOptions
{
    public const string DefaultEndpoint = "http://localhost:8000";

    public static readonly Option<Uri> Endpoint = new("--endpoint")
    {
        Description = "the server's DynamoDB endpoint, from ODYN_ENDPOINT if set",
        HelpName = "URL",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("ODYN_ENDPOINT") is { Length: > 0 } url ? url : DefaultEndpoint),
        CustomParser = result => AbsoluteUri(result, result.Tokens.Single().Value),
    };

    public static readonly Option<string> Region = new("--region")
    {
        Description = "the region requests are signed for",
        Recursive = true,
        DefaultValueFactory = _ => "us-east-1",
    };

    // No DefaultValueFactory for the keys: help prints defaults, and a secret from the environment must not show.
    public static readonly Option<string?> AccessKey = new("--access-key")
    {
        Description = "access key id [default: AWS_ACCESS_KEY_ID, else a dummy key for a server without authentication]",
        Recursive = true,
    };

    public static readonly Option<string?> SecretKey = new("--secret-key")
    {
        Description = "secret access key [default: AWS_SECRET_ACCESS_KEY, else a dummy key]",
        Recursive = true,
    };

    public static readonly Option<Uri?> AdminEndpoint = new("--admin-endpoint")
    {
        Description = "the server's admin port, for cluster status [default: the endpoint's host, its port + 1]",
        HelpName = "URL",
        Recursive = true,
        CustomParser = result => AbsoluteUri(result, result.Tokens.Single().Value),
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "machine output: one JSON document on stdout, and no live display",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Endpoint, Region, AccessKey, SecretKey, AdminEndpoint, Json];

    private static Uri AbsoluteUri(System.CommandLine.Parsing.ArgumentResult result, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        result.AddError($"'{text}' is not an http:// or https:// URL");
        return null!;
    }
}
