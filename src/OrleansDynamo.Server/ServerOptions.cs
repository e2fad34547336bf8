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

    /// <summary>Flag spellings on the command line, mapped to the settings above.</summary>
    internal static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--port"] = nameof(Port),
        ["--silo-port"] = nameof(SiloPort),
        ["--gateway-port"] = nameof(GatewayPort),
        ["--in-memory"] = nameof(InMemory),
        ["--dashboard"] = nameof(Dashboard),
        ["--data-dir"] = nameof(DataDir),
        ["--storage"] = nameof(Storage),
        ["--postgres"] = nameof(Postgres),
        ["--postgres-file"] = nameof(PostgresFile),
        ["--auth"] = nameof(Auth),
        ["--credentials-file"] = nameof(CredentialsFile),
        ["--metrics"] = nameof(Metrics),
        ["--capacity"] = nameof(Capacity),
        ["--partition-limits"] = nameof(PartitionLimits),
        ["--burst-seconds"] = nameof(BurstSeconds),
        ["--tracing"] = nameof(Tracing),
        ["--otlp-endpoint"] = nameof(OtlpEndpoint),
        ["--tls-cert"] = nameof(TlsCert),
        ["--tls-key"] = nameof(TlsKey),
        ["--orleans-tls-cert"] = nameof(OrleansTlsCert),
        ["--orleans-tls-key"] = nameof(OrleansTlsKey),
        ["--orleans-tls-client-cert"] = nameof(OrleansTlsClientCert),
        ["--listen-address"] = nameof(ListenAddress),
        ["--admin-port"] = nameof(AdminPort),
        ["--admin-address"] = nameof(AdminAddress),
        ["--region"] = nameof(Region),
        ["--initial-partitions"] = nameof(InitialPartitions),
        ["--cluster"] = nameof(Cluster),
        ["--cluster-id"] = nameof(ClusterId),
        ["--advertise-address"] = nameof(AdvertiseAddress),
        ["--group-commit"] = nameof(GroupCommit),
        ["--split-threshold-bytes"] = nameof(SplitThresholdBytes),
        ["--hot-split-writes"] = nameof(HotSplitWritesPerSecond),
        ["--item-collection-size-limit"] = nameof(ItemCollectionSizeLimitBytes),
        ["--cache-mb"] = nameof(CacheMb),
        ["--response-timeout"] = nameof(ResponseTimeoutSeconds),
        ["--probe-timeout"] = nameof(ProbeTimeoutSeconds),
        ["--missed-probes-limit"] = nameof(NumMissedProbesLimit),
        ["--table-refresh-timeout"] = nameof(TableRefreshTimeoutSeconds),
        ["--votes-for-death"] = nameof(NumVotesForDeathDeclaration),
        ["--death-vote-expiration"] = nameof(DeathVoteExpirationTimeoutSeconds),
        ["--i-am-alive-publish"] = nameof(IAmAliveTablePublishTimeoutSeconds),
        ["--rebalance-interval"] = nameof(RebalanceIntervalSeconds),
        ["--ttl-sweep-interval"] = nameof(TtlSweepIntervalSeconds),
        ["--ttl-update-interval"] = nameof(TtlUpdateIntervalSeconds),
    };

    private static readonly HashSet<string> BooleanFlags = ["--in-memory", "--dashboard"];

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
