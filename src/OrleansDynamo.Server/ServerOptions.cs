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

    /// <summary>PostgreSQL connection string, for <c>--storage postgres</c>. Better given as <c>ODYN_POSTGRES</c> or
    /// <see cref="PostgresFile"/>: a command line shows in <c>ps</c>.</summary>
    public string? Postgres { get; set; }

    /// <summary>A file holding the PostgreSQL connection string (a mounted secret, say).</summary>
    public string? PostgresFile { get; set; }

    /// <summary>Seconds a starting silo waits for PostgreSQL to answer; 0 (the default) fails the start at once.</summary>
    public double PostgresWaitSeconds { get; set; }

    /// <summary><c>none</c> or <c>sigv4</c>; unset, it is <c>sigv4</c> with <c>--cluster postgres</c> and <c>none</c> otherwise.</summary>
    public string? Auth { get; set; }

    /// <summary>The principals, their keys and policies (JSON, read again when it changes); needed with <c>--auth sigv4</c>.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary><c>on</c> (the default): the <c>orleansdynamo.*</c> metrics, scraped at <c>/metrics</c> on the admin port.</summary>
    public string Metrics { get; set; } = "on";

    /// <summary><c>on</c>: spans for each request, through the grain calls (Orleans activity propagation) to the store commit.</summary>
    public string Tracing { get; set; } = "off";

    /// <summary>An OTLP collector (<c>http://host:4317</c>) to send metrics, and spans with tracing on, to.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The Orleans Dashboard (grains, silos, calls) at <c>/dashboard</c> on the admin port.</summary>
    public bool Dashboard { get; set; }

    /// <summary><c>on</c> (the default): PROVISIONED throughput and on-demand maximums are enforced; <c>off</c>: nothing is throttled.</summary>
    public string Capacity { get; set; } = "on";

    /// <summary><c>on</c>: on-demand tables get DynamoDB's per-partition limits too (PROVISIONED tables always do).</summary>
    public string PartitionLimits { get; set; } = "off";

    /// <summary>Seconds of unused capacity a partition saves for bursts: DynamoDB's 300 by default, less for tests.</summary>
    public double BurstSeconds { get; set; } = 300;

    internal bool MetricsOn => Metrics == "on";

    internal bool TracingOn => Tracing == "on";

    /// <summary>The certificate for HTTPS on the DynamoDB port: PEM (with <see cref="TlsKey"/>) or PFX.</summary>
    public string? TlsCert { get; set; }

    /// <summary>The PEM private key of <see cref="TlsCert"/>, when it is not in the same file.</summary>
    public string? TlsKey { get; set; }

    /// <summary>
    /// The cluster's certificate for TLS on the silo and gateway ports: PEM (with <see cref="OrleansTlsKey"/>) or PFX. Every
    /// silo presents it and accepts only silos that present it too; Orleans clients trust it and need none of their own.
    /// </summary>
    public string? OrleansTlsCert { get; set; }

    /// <summary>The PEM private key of <see cref="OrleansTlsCert"/>, when it is not in the same file.</summary>
    public string? OrleansTlsKey { get; set; }

    /// <summary>With <see cref="OrleansTlsCert"/>: the certificate (PEM or PFX; its key is not needed) that every Orleans client must
    /// present to the gateway. Unset, clients present none and are known by their credentials only.</summary>
    public string? OrleansTlsClientCert { get; set; }

    /// <summary>The address the DynamoDB port listens on; unset, loopback without authentication and every address with it.</summary>
    public string? ListenAddress { get; set; }

    /// <summary>The admin port (<c>/admin/...</c>); unset, the DynamoDB port + 1 (or a free port when that is 0).</summary>
    public int? AdminPort { get; set; }

    /// <summary>The address the admin port listens on: loopback unless set.</summary>
    public string AdminAddress { get; set; } = "127.0.0.1";

    /// <summary>The region in ARNs, and the one requests must be signed for.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Whether requests must carry a SigV4 signature of a known principal.</summary>
    internal bool RequiresSignatures => (Auth ?? (Cluster == "postgres" ? "sigv4" : "none")) == "sigv4";

    internal int AdminPortOrDefault => AdminPort ?? (Port == 0 ? 0 : Port + 1);

    /// <summary><c>local</c> (default: one silo, membership in process) or <c>postgres</c> (ADO.NET membership on the same database).</summary>
    public string Cluster { get; set; } = "local";

    /// <summary>Cluster and service id shared by the silos of one cluster.</summary>
    public string ClusterId { get; set; } = "orleansdynamo";

    /// <summary>The address other silos and clients reach this silo at; loopback by default.</summary>
    public string AdvertiseAddress { get; set; } = "127.0.0.1";

    internal System.Net.IPAddress AdvertisedAddress => System.Net.IPAddress.Parse(AdvertiseAddress);

    /// <summary>The PostgreSQL connection string, or a clear error when PostgreSQL is asked for without one.</summary>
    internal string RequirePostgres() =>
        string.IsNullOrWhiteSpace(Postgres)
            ? throw new InvalidOperationException("--storage postgres and --cluster postgres need a connection string: ODYN_POSTGRES, --postgres-file PATH or --postgres \"...\"")
            : Postgres;

    /// <summary>Partitions a new table starts with.</summary>
    public int InitialPartitions { get; set; } = 4;

    /// <summary>Share one store commit between concurrent writes to a partition (turned off only to measure it).</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>A partition holding more item data than this (bytes) splits in two.</summary>
    public long SplitThresholdBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>A partition taking more writes per second than this for 30 s splits in two; 0 turns it off.</summary>
    public int HotSplitWritesPerSecond { get; set; } = 5000;

    /// <summary>Largest item collection of a table with local secondary indexes, in bytes (DynamoDB: 10 GB).</summary>
    public long ItemCollectionSizeLimitBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>The silo's cache budget in MiB (items, and the embedded store's block cache); 0 = an eighth of the memory.</summary>
    public long CacheMb { get; set; }

    /// <summary>
    /// How long a grain call from the DynamoDB endpoint may take before it fails with InternalServerError,
    /// which SDKs retry: a call lost with a dead silo must not hang the client (Orleans' default is 30 s).
    /// </summary>
    public double ResponseTimeoutSeconds { get; set; } = 5;

    /// <summary>Membership: how long a silo waits for a probe's answer (Orleans' default is 5 s).</summary>
    public double ProbeTimeoutSeconds { get; set; } = 1;

    /// <summary>Membership: missed probes after which a silo votes another dead (Orleans' default is 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Membership: how often a silo rereads the membership table (Orleans' default is 60 s).</summary>
    public double TableRefreshTimeoutSeconds { get; set; } = 2;

    /// <summary>Membership: votes needed to declare a silo dead (Orleans' default is 2; fewer silos than that vote alone).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;

    /// <summary>Membership: how long a vote of death counts (Orleans' default is 120 s).</summary>
    public double DeathVoteExpirationTimeoutSeconds { get; set; } = 120;

    /// <summary>Membership: how often a silo writes its I-am-alive time to the table (Orleans' default is 30 s).</summary>
    public double IAmAliveTablePublishTimeoutSeconds { get; set; } = 10;

    /// <summary>How often each silo evens out partition counts over the silos; 0 turns rebalancing off.</summary>
    public double RebalanceIntervalSeconds { get; set; } = 5;

    /// <summary>Time to live: seconds between two sweeps of a table's partitions for expired items.</summary>
    public double TtlSweepIntervalSeconds { get; set; } = 30;

    /// <summary>Time to live: seconds after an UpdateTimeToLive during which another is refused (DynamoDB: one hour).</summary>
    public double TtlUpdateIntervalSeconds { get; set; } = 3600;

    /// <summary>The folder S3 buckets of exports and imports map to (bucket b is EXPORT_ROOT/b); without it they are refused.</summary>
    public string? ExportRoot { get; set; }

    /// <summary>What the server says it stores data in.</summary>
    internal string StorageDescription => InMemory ? "in-memory" : Storage == "postgres" ? "postgres" : $"embedded at {Path.GetFullPath(DataDir)}";

    /// <summary>Rejects settings that cannot work together, before anything starts.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Postgres) && PostgresFile is not null)
            Postgres = File.Exists(PostgresFile) ? File.ReadAllText(PostgresFile).Trim() : throw new InvalidOperationException($"--postgres-file {PostgresFile} does not exist");
        if (Storage is not ("embedded" or "postgres")) throw new InvalidOperationException($"--storage must be embedded or postgres, not '{Storage}'");
        if (Cluster is not ("local" or "postgres")) throw new InvalidOperationException($"--cluster must be local or postgres, not '{Cluster}'");
        if (Storage == "postgres" || Cluster == "postgres") RequirePostgres();
        foreach (var (flag, seconds) in new[] { ("--response-timeout", ResponseTimeoutSeconds), ("--probe-timeout", ProbeTimeoutSeconds),
                     ("--table-refresh-timeout", TableRefreshTimeoutSeconds), ("--death-vote-expiration", DeathVoteExpirationTimeoutSeconds),
                     ("--i-am-alive-publish", IAmAliveTablePublishTimeoutSeconds), ("--ttl-sweep-interval", TtlSweepIntervalSeconds) })
            if (!(seconds > 0)) throw new InvalidOperationException($"{flag} must be a number of seconds above 0, not {seconds}");
        if (!(PostgresWaitSeconds >= 0)) throw new InvalidOperationException("--postgres-wait must be 0 (fail at once) or a number of seconds");
        if (CacheMb < 0) throw new InvalidOperationException("--cache-mb must be a number of MiB (0: an eighth of the memory)");
        if (TtlUpdateIntervalSeconds < 0) throw new InvalidOperationException("--ttl-update-interval must be 0 or a number of seconds");
        if (RebalanceIntervalSeconds < 0) throw new InvalidOperationException("--rebalance-interval must be 0 (off) or a number of seconds");
        if (NumMissedProbesLimit < 1 || NumVotesForDeathDeclaration < 1)
            throw new InvalidOperationException("--missed-probes-limit and --votes-for-death must be at least 1");
        if (Auth is not (null or "none" or "sigv4")) throw new InvalidOperationException($"--auth must be none or sigv4, not '{Auth}'");
        if (Metrics is not ("on" or "off")) throw new InvalidOperationException($"--metrics must be on or off, not '{Metrics}'");
        if (Tracing is not ("on" or "off")) throw new InvalidOperationException($"--tracing must be on or off, not '{Tracing}'");
        if (Capacity is not ("on" or "off")) throw new InvalidOperationException($"--capacity must be on or off, not '{Capacity}'");
        if (PartitionLimits is not ("on" or "off")) throw new InvalidOperationException($"--partition-limits must be on or off, not '{PartitionLimits}'");
        if (BurstSeconds < 0) throw new InvalidOperationException($"--burst-seconds must be 0 or more, not {BurstSeconds}");
        if (OtlpEndpoint is not null && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
            throw new InvalidOperationException($"--otlp-endpoint must be an absolute URI, not '{OtlpEndpoint}'");
        if (RequiresSignatures && CredentialsFile is null)
            throw new InvalidOperationException(Auth is null
                ? "--cluster postgres turns on SigV4 authentication: give --credentials-file PATH (or --auth none, for a trusted network only)"
                : "--auth sigv4 needs --credentials-file PATH");
        if (TlsKey is not null && TlsCert is null) throw new InvalidOperationException("--tls-key needs --tls-cert");
        if (OrleansTlsKey is not null && OrleansTlsCert is null) throw new InvalidOperationException("--orleans-tls-key needs --orleans-tls-cert");
        if (OrleansTlsClientCert is not null && OrleansTlsCert is null) throw new InvalidOperationException("--orleans-tls-client-cert needs --orleans-tls-cert");
        if (ListenAddress is not null && !System.Net.IPAddress.TryParse(ListenAddress, out _)) throw new InvalidOperationException($"--listen-address must be an IP address, not '{ListenAddress}'");
        if (!System.Net.IPAddress.TryParse(AdminAddress, out var adminAddress)) throw new InvalidOperationException($"--admin-address must be an IP address, not '{AdminAddress}'");
        if (!System.Net.IPAddress.IsLoopback(adminAddress) && !RequiresSignatures)
            throw new InvalidOperationException("--admin-address beyond loopback needs --auth sigv4: admin requests from other machines must be signed");
        if (Cluster == "postgres" && InMemory) throw new InvalidOperationException("--cluster postgres needs shared storage: use --storage postgres, not --in-memory");
    }

    /// <summary>A command-line flag: its spelling, the setting it sets, the value it takes (null: none, a switch) and its help line.</summary>
    internal sealed record Flag(string Name, string Property, string? Value, string Help);

    /// <summary>Every flag the server takes, in the order <c>--help</c> lists them.</summary>
    internal static readonly Flag[] Flags =
    [
        new("--port", nameof(Port), "N", "DynamoDB HTTP port (8000; 0 picks a free port)"),
        new("--listen-address", nameof(ListenAddress), "IP", "address the DynamoDB port listens on (loopback; every address with --auth sigv4)"),
        new("--admin-port", nameof(AdminPort), "N", "admin port: /health, /metrics, /admin, /console, /dashboard (the DynamoDB port + 1)"),
        new("--admin-address", nameof(AdminAddress), "IP", "address the admin port listens on (127.0.0.1; another needs --auth sigv4)"),
        new("--silo-port", nameof(SiloPort), "N", "Orleans silo-to-silo port (11111)"),
        new("--gateway-port", nameof(GatewayPort), "N", "Orleans gateway port for Orleans clients (30000)"),
        new("--storage", nameof(Storage), "embedded|postgres", "where items are kept (embedded)"),
        new("--data-dir", nameof(DataDir), "PATH", "the embedded store's folder (./data)"),
        new("--in-memory", nameof(InMemory), null, "keep everything in memory: nothing survives a restart"),
        new("--postgres", nameof(Postgres), "CONNECTION", "PostgreSQL connection string (better: ODYN_POSTGRES or --postgres-file)"),
        new("--postgres-file", nameof(PostgresFile), "PATH", "a file holding the PostgreSQL connection string"),
        new("--postgres-wait", nameof(PostgresWaitSeconds), "S", "seconds a starting silo waits for PostgreSQL to answer (0: fail at once)"),
        new("--cluster", nameof(Cluster), "local|postgres", "one silo (local) or a cluster with membership in PostgreSQL"),
        new("--cluster-id", nameof(ClusterId), "ID", "cluster and service id of the silos of one cluster (orleansdynamo)"),
        new("--advertise-address", nameof(AdvertiseAddress), "IP", "address other silos and clients reach this silo at (127.0.0.1)"),
        new("--auth", nameof(Auth), "none|sigv4", "request authentication (none; sigv4 with --cluster postgres)"),
        new("--credentials-file", nameof(CredentialsFile), "PATH", "principals, keys and policies (JSON), for --auth sigv4"),
        new("--region", nameof(Region), "REGION", "the region in ARNs and signatures (us-east-1)"),
        new("--tls-cert", nameof(TlsCert), "PATH", "certificate for HTTPS on the DynamoDB port (PEM or PFX)"),
        new("--tls-key", nameof(TlsKey), "PATH", "the PEM private key of --tls-cert"),
        new("--orleans-tls-cert", nameof(OrleansTlsCert), "PATH", "cluster certificate for TLS on the silo and gateway ports"),
        new("--orleans-tls-key", nameof(OrleansTlsKey), "PATH", "the PEM private key of --orleans-tls-cert"),
        new("--orleans-tls-client-cert", nameof(OrleansTlsClientCert), "PATH", "certificate Orleans clients must present to the gateway"),
        new("--metrics", nameof(Metrics), "on|off", "metrics at /metrics on the admin port (on)"),
        new("--tracing", nameof(Tracing), "on|off", "spans per request through grain calls and store commits (off)"),
        new("--otlp-endpoint", nameof(OtlpEndpoint), "URL", "OTLP collector for metrics and spans"),
        new("--dashboard", nameof(Dashboard), null, "the Orleans Dashboard at /dashboard on the admin port"),
        new("--capacity", nameof(Capacity), "on|off", "enforce PROVISIONED throughput and on-demand maximums (on)"),
        new("--partition-limits", nameof(PartitionLimits), "on|off", "per-partition limits for on-demand tables too (off)"),
        new("--burst-seconds", nameof(BurstSeconds), "N", "seconds of unused capacity saved for bursts (300)"),
        new("--initial-partitions", nameof(InitialPartitions), "N", "partitions a new table starts with (4)"),
        new("--group-commit", nameof(GroupCommit), "true|false", "share one store commit between concurrent writes (true)"),
        new("--split-threshold-bytes", nameof(SplitThresholdBytes), "N", "a partition larger than this splits (256 MiB)"),
        new("--hot-split-writes", nameof(HotSplitWritesPerSecond), "N", "writes/s that make a partition split for heat; 0 off (5000)"),
        new("--item-collection-size-limit", nameof(ItemCollectionSizeLimitBytes), "N", "largest item collection with local indexes, bytes (10 GB)"),
        new("--cache-mb", nameof(CacheMb), "N", "cache budget in MiB (an eighth of the memory)"),
        new("--response-timeout", nameof(ResponseTimeoutSeconds), "S", "grain call timeout, seconds (5)"),
        new("--probe-timeout", nameof(ProbeTimeoutSeconds), "S", "membership probe timeout, seconds (1)"),
        new("--missed-probes-limit", nameof(NumMissedProbesLimit), "N", "missed probes before a silo votes another dead (2)"),
        new("--table-refresh-timeout", nameof(TableRefreshTimeoutSeconds), "S", "membership table reread interval, seconds (2)"),
        new("--votes-for-death", nameof(NumVotesForDeathDeclaration), "N", "votes to declare a silo dead (2)"),
        new("--death-vote-expiration", nameof(DeathVoteExpirationTimeoutSeconds), "S", "how long a death vote counts, seconds (120)"),
        new("--i-am-alive-publish", nameof(IAmAliveTablePublishTimeoutSeconds), "S", "I-am-alive write interval, seconds (10)"),
        new("--rebalance-interval", nameof(RebalanceIntervalSeconds), "S", "partition rebalancing interval; 0 off (5)"),
        new("--ttl-sweep-interval", nameof(TtlSweepIntervalSeconds), "S", "seconds between time to live sweeps (30)"),
        new("--ttl-update-interval", nameof(TtlUpdateIntervalSeconds), "S", "seconds an UpdateTimeToLive blocks the next (3600)"),
        new("--export-root", nameof(ExportRoot), "PATH", "folder standing for S3 in exports and imports: bucket b is PATH/b (off)"),
    ];

    /// <summary>Flag spellings on the command line, mapped to the settings above.</summary>
    internal static readonly Dictionary<string, string> SwitchMappings = Flags.ToDictionary(f => f.Name, f => f.Property);

    private static readonly HashSet<string> BooleanFlags = [.. Flags.Where(f => f.Value is null).Select(f => f.Name)];

    /// <summary>
    /// The command line in the form configuration binding reads (<c>--flag value</c> or <c>--flag=value</c>, a switch
    /// as <c>--flag=true</c>); an unknown flag, a stray argument or a flag without its value is refused, so no typo
    /// is silently ignored.
    /// </summary>
    internal static string[] NormalizeArguments(string[] args)
    {
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            var name = argument.Split('=', 2)[0];
            if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal))
            {
                // A configuration path (--Logging:LogLevel:Default=Debug), as any ASP.NET Core host takes it.
                result.Add(argument);
                if (!argument.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length) result.Add(args[++i]);
                continue;
            }
            var flag = Array.Find(Flags, f => f.Name == name) ?? throw new InvalidOperationException(argument.StartsWith("--", StringComparison.Ordinal)
                ? $"unknown flag {name} (--help lists the flags)"
                : $"unexpected argument '{argument}': flags start with -- (--help lists them)");
            if (argument.Contains('=', StringComparison.Ordinal))
            {
                result.Add(argument);
                continue;
            }
            var valueFollows = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (flag.Value is null)
            {
                // A switch: alone it means true; "--in-memory false" still reads.
                var given = valueFollows && bool.TryParse(args[i + 1], out var value) ? value : (bool?)null;
                result.Add($"{name}={given ?? true}");
                if (given is not null) i++;
                continue;
            }
            if (!valueFollows) throw new InvalidOperationException($"{name} needs a value: {name} {flag.Value}");
            result.Add(argument);
            result.Add(args[++i]);
        }
        return [.. result];
    }

    /// <summary>What <c>--help</c> prints: usage and every flag with its value and help line.</summary>
    internal static string HelpText()
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine("OrleansDynamo: a DynamoDB-compatible database on Orleans.");
        text.AppendLine();
        text.AppendLine("Usage: orleansdynamo [flags]   (every flag can also be set as ODYN_<Setting> in the environment)");
        text.AppendLine();
        var width = Flags.Max(f => f.Name.Length + (f.Value is null ? 0 : f.Value.Length + 1));
        foreach (var flag in Flags)
            text.AppendLine($"  {(flag.Value is null ? flag.Name : $"{flag.Name} {flag.Value}").PadRight(width)}  {flag.Help}");
        text.AppendLine($"  {"--help".PadRight(width)}  this list");
        text.AppendLine();
        text.AppendLine("Any configuration key can be set too, as --Section:Key=value (for example --Logging:LogLevel:Default=Information).");
        return text.ToString();
    }
}
