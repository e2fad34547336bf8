namespace OrleansDynamo.Server;

/// <summary>
/// The server's settings: command-line flags (<c>--port 8000</c>), appsettings.json, or environment
/// variables with the <c>ODYN_</c> prefix (<c>ODYN_PORT=8000</c>).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>DynamoDB HTTP port; 8000 like DynamoDB Local. 0 picks a free port.</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Orleans silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans gateway port for Orleans clients.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Keep everything in memory: nothing survives a restart.</summary>
    public bool InMemory { get; set; }

    /// <summary>Where the embedded store keeps its files (the default storage).</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary><c>embedded</c> (default) or <c>postgres</c>.</summary>
    public string Storage { get; set; } = "embedded";

    /// <summary>PostgreSQL connection string, for <c>--storage postgres</c>.</summary>
    public string? Postgres { get; set; }

    /// <summary>Partitions a new table starts with.</summary>
    public int InitialPartitions { get; set; } = 4;

    /// <summary>Share one store commit between concurrent writes to a partition (turned off only to measure it).</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>What the server says it stores data in.</summary>
    internal string StorageDescription => InMemory ? "in-memory" : Storage == "postgres" ? "postgres" : $"embedded at {Path.GetFullPath(DataDir)}";

    /// <summary>Flag spellings on the command line, mapped to the settings above.</summary>
    internal static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--port"] = nameof(Port),
        ["--silo-port"] = nameof(SiloPort),
        ["--gateway-port"] = nameof(GatewayPort),
        ["--in-memory"] = nameof(InMemory),
        ["--data-dir"] = nameof(DataDir),
        ["--storage"] = nameof(Storage),
        ["--postgres"] = nameof(Postgres),
        ["--initial-partitions"] = nameof(InitialPartitions),
        ["--group-commit"] = nameof(GroupCommit),
    };

    private static readonly HashSet<string> BooleanFlags = ["--in-memory"];

    /// <summary>Lets boolean flags stand alone (<c>--in-memory</c>) where .NET configuration expects a value.</summary>
    internal static string[] NormalizeArguments(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var valueFollows = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            result.Add(BooleanFlags.Contains(args[i]) && !valueFollows ? args[i] + "=true" : args[i]);
        }
        return [.. result];
    }
}
