using OrleansDynamo.Hosting;
using OrleansDynamo.Placement;
using OrleansDynamo.Security;
using OrleansDynamo.Server.Admin;
using OrleansDynamo.Server.Protocol;
using Orleans.Configuration;
using Orleans.Dashboard;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OrleansDynamo.Storage.Embedded;
using OrleansDynamo.Storage.Postgres;

namespace OrleansDynamo.Server;

/// <summary>Builds the server: one Orleans silo hosting the OrleansDynamo grains, and the DynamoDB HTTP endpoint.</summary>
public static class ServerHost
{
    public static WebApplication Build(string[] args)
    {
        args = ServerOptions.NormalizeArguments(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            // appsettings.json ships beside the binary; --data-dir stays relative to the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Start-up failures a person can fix are told in one line (StartupErrors, in Program); until the server has
        // started, the host's and the silo's own error logs of them would repeat them with stack traces.
        var started = false;
        foreach (var category in StartupErrors.StartCategories)
            builder.Logging.AddFilter(category, level => level >= LogLevel.Warning && (started || level < LogLevel.Error));
        builder.Configuration.AddEnvironmentVariables("ODYN_");
        builder.Configuration.AddCommandLine(args, ServerOptions.SwitchMappings);
        var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
        options.Validate();
        StartupErrors.EnsurePortsFree(options);
        builder.Services.AddSingleton(options);
        var endpoints = new ServerEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddAdmin(options);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // The endpoint enforces DynamoDB's own 16 MB limit.
            // Every client-driven allocation is bounded (docs/operations.md): connections, headers, and clients that
            // send slowly, which are cut off below the minimum rate instead of holding their buffers.
            kestrel.Limits.MaxConcurrentConnections = ServerLimits.MaxConnections;
            kestrel.Limits.MaxRequestHeadersTotalSize = ServerLimits.MaxHeaderBytes;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(ServerLimits.MinBodyBytesPerSecond, ServerLimits.MinRateGrace);
            kestrel.Limits.RequestHeadersTimeout = ServerLimits.HeadersTimeout;
            endpoints.Listen(kestrel, options, ServerCertificates.Load(options));
        });
        builder.UseOrleans(silo =>
        {
            ConfigureClustering(silo, options);
            ConfigureFailureDetection(silo, options);
            ConfigureStorage(silo, options);
            if (options.TracingOn) silo.AddActivityPropagation();
            if (options.Dashboard) silo.AddDashboard();
            if (options.RequiresSignatures) AddRequestSecurity(silo, options);
            if (ServerCertificates.LoadOrleans(options) is { } clusterCertificate)
                Security.OrleansTls.Use(silo, clusterCertificate, ServerCertificates.LoadOrleansClient(options));
            silo.AddOrleansDynamo(dynamo =>
            {
                dynamo.InitialPartitionCount = options.InitialPartitions;
                dynamo.GroupCommit = options.GroupCommit;
                dynamo.SplitThresholdBytes = options.SplitThresholdBytes;
                dynamo.HotSplitWritesPerSecond = options.HotSplitWritesPerSecond;
                dynamo.ItemCollectionSizeLimitBytes = options.ItemCollectionSizeLimitBytes;
                if (options.CacheMb > 0) dynamo.CacheBytes = options.CacheMb << 20;
                dynamo.TtlSweepInterval = TimeSpan.FromSeconds(options.TtlSweepIntervalSeconds);
                dynamo.TtlUpdateInterval = TimeSpan.FromSeconds(options.TtlUpdateIntervalSeconds);
                dynamo.Region = options.Region;
                dynamo.Capacity = options.Capacity == "on";
                dynamo.PartitionLimits = options.PartitionLimits == "on";
                dynamo.BurstSeconds = options.BurstSeconds;
                dynamo.ExportRoot = options.ExportRoot is null ? null : Path.GetFullPath(options.ExportRoot);
            });
            silo.Services.Configure<PartitionRebalancerOptions>(rebalancer =>
                rebalancer.Interval = TimeSpan.FromSeconds(options.RebalanceIntervalSeconds));
        });

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => started = true);
        app.Use(endpoints.KeepAdminApart);
        app.MapDynamoDb();
        app.MapAdmin(options);
        // The line comes once the tables are active and the request path is warm (bounded: see ServerWarmup).
        app.Lifetime.ApplicationStarted.Register(() => _ = ServerWarmup.RunAsync(app, TimeSpan.FromSeconds(10))
            .ContinueWith(_ => PrintListening(app, options), TaskScheduler.Default));
        return app;
    }

    private static void ConfigureClustering(ISiloBuilder silo, ServerOptions options)
    {
        if (options.Cluster != "postgres")
        {
            // Loopback endpoints and in-process membership: one silo on this machine. The cluster id is the
            // one Orleans clients of OrleansDynamo expect by default (OrleansDynamoClientOptions).
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ClusterId, clusterId: options.ClusterId);
            return;
        }
        silo.UseOrleansDynamoPostgresClustering(options.RequirePostgres());
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ClusterId;
        });
        // Silo and gateway listen on the advertised address only, not on every interface of the machine.
        silo.ConfigureEndpoints(options.AdvertisedAddress, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
    }

    /// <summary>
    /// Fast failure detection: with these defaults a killed silo is declared dead in about 3 s instead of
    /// Orleans' 15 s, and a call caught with it fails after the response timeout with InternalServerError.
    /// </summary>
    private static void ConfigureFailureDetection(ISiloBuilder silo, ServerOptions options)
    {
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = TimeSpan.FromSeconds(options.ProbeTimeoutSeconds);
            membership.NumMissedProbesLimit = options.NumMissedProbesLimit;
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(options.TableRefreshTimeoutSeconds);
            membership.NumVotesForDeathDeclaration = options.NumVotesForDeathDeclaration;
            membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(options.DeathVoteExpirationTimeoutSeconds);
            membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(options.IAmAliveTablePublishTimeoutSeconds);
        });
        silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(options.ResponseTimeoutSeconds));
    }

    private static void ConfigureStorage(ISiloBuilder silo, ServerOptions options)
    {
        // For the PostgreSQL store and membership alike: both migrate the database first.
        silo.Services.Configure<OrleansDynamoPostgresOptions>(postgres => postgres.StartupWait = TimeSpan.FromSeconds(options.PostgresWaitSeconds));
        if (options.InMemory) return; // AddOrleansDynamo falls back to memory.
        if (options.Storage == "postgres") silo.AddOrleansDynamoPostgres(options.RequirePostgres());
        else silo.AddOrleansDynamoEmbeddedStorage(options.DataDir);
    }

    /// <summary>SigV4 on every HTTP request, proofs from Orleans clients, and each principal's policy, from the credentials file.</summary>
    private static void AddRequestSecurity(ISiloBuilder silo, ServerOptions options)
    {
        var credentials = OrleansDynamo.Security.CredentialStore.Load(options.CredentialsFile!);
        silo.AddOrleansDynamoSecurity(credentials);
        silo.Services.AddSingleton(provider => new Security.SigV4Verifier(
            credentials, provider.GetRequiredService<OrleansDynamo.Security.SigningKeys>(), TimeProvider.System));
    }

    /// <summary>The base address the DynamoDB endpoint listens on, once started.</summary>
    public static Uri GetEndpoint(WebApplication app) => app.Services.GetRequiredService<ServerEndpoints>().ApiUri;

    /// <summary>The admin port's base address, once started.</summary>
    public static Uri GetAdminEndpoint(WebApplication app) => app.Services.GetRequiredService<ServerEndpoints>().AdminUri;

    private static void PrintListening(WebApplication app, ServerOptions options)
    {
        if (options.Auth is null && options.RequiresSignatures)
            Console.WriteLine("SigV4 authentication is on, as always with --cluster postgres: requests must be signed with a key of the credentials file");
        Console.WriteLine($"OrleansDynamo listening: DynamoDB API at {GetEndpoint(app)}, admin at {GetAdminEndpoint(app)}, Orleans gateway on port {options.GatewayPort}, " +
            $"storage: {options.StorageDescription}, auth: {(options.RequiresSignatures ? "sigv4" : "none")}");
    }
}
