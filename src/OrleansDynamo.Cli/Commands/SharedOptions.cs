using System.CommandLine;

namespace OrleansDynamo.Cli.Commands;

/// <summary>Options more than one command takes.</summary>
internal static class SharedOptions
{
    /// <summary>A new instance per command: System.CommandLine gives each option one parent.</summary>
    public static Option<bool> NoWait() => new("--no-wait")
    {
        Description = "return once the server has accepted the request, without waiting for it to finish",
    };

    public static Option<string> Bucket(string description) => new("--bucket")
    {
        Description = description,
        Required = true,
    };

    public static Option<string?> Prefix(string description) => new("--prefix") { Description = description };
}
