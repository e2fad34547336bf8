using System.Text.RegularExpressions;

namespace OrleansDynamo.Infra.Tests.Support;

/// <summary>The repository these tests run in: found by walking up from the test binaries to OrleansDynamo.sln.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "OrleansDynamo.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"no OrleansDynamo.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// What the server accepts, read from the text of its options class (no project of src/ is referenced): the
/// command-line flags of its switch mappings, and the settings that <c>ODYN_</c> environment variables bind to.
/// Every deployment file is checked against these, so a misspelt flag fails here rather than at a silo's start.
/// </summary>
internal static partial class ServerSettings
{
    private const string OptionsFile = "src/OrleansDynamo.Server/ServerOptions.cs";

    public static IReadOnlySet<string> Flags { get; } = Read(FlagPattern(), OptionsFile, StringComparer.Ordinal);

    public static IReadOnlySet<string> Settings { get; } = Read(SettingPattern(), OptionsFile, StringComparer.OrdinalIgnoreCase);

    /// <summary>Flags (<c>--port</c>) in a list of arguments, as given.</summary>
    public static IEnumerable<string> FlagsIn(IEnumerable<string> arguments) =>
        arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=')[0]);

    /// <summary>The value after <paramref name="flag"/> (<c>--flag value</c> or <c>--flag=value</c>), or null.</summary>
    public static string? ValueOf(IReadOnlyList<string> arguments, string flag)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            if (arguments[i] == flag && i + 1 < arguments.Count) return arguments[i + 1];
            if (arguments[i].StartsWith(flag + "=", StringComparison.Ordinal)) return arguments[i][(flag.Length + 1)..];
        }
        return null;
    }

    /// <summary>Fails on any flag the server does not know.</summary>
    public static void AssertKnownFlags(IEnumerable<string> arguments, string where)
    {
        var unknown = FlagsIn(arguments).Where(f => !Flags.Contains(f)).ToList();
        Assert.True(unknown.Count == 0, $"{where} passes flags the server does not know: {string.Join(", ", unknown)}");
    }

    /// <summary>Fails on an <c>ODYN_</c> variable that binds to no setting of the server.</summary>
    public static void AssertKnownVariable(string name, string where)
    {
        if (!name.StartsWith("ODYN_", StringComparison.Ordinal)) return;
        Assert.True(Settings.Contains(name["ODYN_".Length..]), $"{where} sets {name}, which binds to no setting of ServerOptions");
    }

    private static HashSet<string> Read(Regex pattern, string file, StringComparer comparer)
    {
        var found = pattern.Matches(Repo.Read(file)).Select(m => m.Groups[1].Value).ToHashSet(comparer);
        // A handful would mean the pattern no longer fits the file, not that the server lost its flags.
        Assert.True(found.Count >= 20, $"read only {found.Count} names from {file}: does the pattern still fit it?");
        return found;
    }

    [GeneratedRegex("""new\("(--[a-z0-9-]+)",\s*nameof""")]
    private static partial Regex FlagPattern();

    [GeneratedRegex("""public\s+[\w.?<>]+\s+(\w+)\s*\{\s*get;\s*set;""")]
    private static partial Regex SettingPattern();
}
