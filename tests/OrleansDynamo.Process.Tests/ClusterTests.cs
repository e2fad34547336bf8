using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Tests;
using OrleansDynamo.Tests.Shared;
using Xunit.Abstractions;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// A cluster of real silo processes on PostgreSQL (membership, metadata and items): failover after kill -9
/// and partitions moving to a silo that joins. Every silo serves the DynamoDB API; the test's clients act
/// like a load balancer that spreads requests over the silos and retries elsewhere on a failure.
/// </summary>
public sealed class ClusterTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const int Partitions = 24;
    private const int Writers = 12;
    private const int CounterWriters = 6;
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Killing_a_silo_loses_no_acknowledged_write_and_requests_recover_within_5_seconds()
    {
        await using var cluster = await SiloCluster.StartAsync(await postgres.CreateDatabaseAsync("failover"), silos: 3);
        var load = await ClusterLoad.CreateTablesAsync(cluster);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(Writers, CounterWriters, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(4));
        output.WriteLine($"before the kill: {load.Puts.Count} puts, {load.Increments.Count} increments acknowledged; partitions {await cluster.DescribeDistributionAsync()}");
        var victim = cluster.Silos[1];
        load.KilledAt = Stopwatch.GetTimestamp();
        await cluster.KillAsync(victim);
        await Task.Delay(TimeSpan.FromSeconds(10));
        stop.Cancel();
        await running;
        output.WriteLine($"after the kill: partitions {await cluster.DescribeDistributionAsync()}");

        var recovery = load.RecoveryTime;
        output.WriteLine($"recovery after kill -9: last failed request ended {recovery.TotalSeconds:F2} s after the kill " +
                         $"({load.FailuresAfterKill} failed attempts on surviving silos, {load.Puts.Count} puts and {load.Increments.Count} increments acknowledged)");
        output.WriteLine($"errors seen: {load.ErrorSummary}");
        Assert.True(recovery < RecoveryLimit, $"requests failed until {recovery.TotalSeconds:F2} s after the kill; errors: {load.ErrorSummary}");
        Assert.True(load.Puts.Count > 0 && load.Increments.Count > 0, "the load made no progress");

        await load.AssertNothingLostAsync(cluster.Clients[0]);
    }

    /// <summary>In cluster mode a silo's Orleans ports listen on its advertised address (loopback here), not on every interface.</summary>
    private static void ListenOnlyOnTheAdvertisedAddress(ServerProcess silo)
    {
        var listeners = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners();
        foreach (var port in new[] { silo.SiloPort, silo.GatewayPort })
        {
            var bound = listeners.Where(l => l.Port == port).Select(l => l.Address).ToList();
            Assert.NotEmpty(bound);
            Assert.All(bound, address => Assert.Equal(System.Net.IPAddress.Loopback, address));
        }
    }

    /// <summary>A cluster turns SigV4 on by itself: an unknown key is refused.</summary>
    private static async Task RequireSignaturesAsync(ServerProcess silo)
    {
        using var stranger = new Amazon.DynamoDBv2.AmazonDynamoDBClient(new Amazon.Runtime.BasicAWSCredentials("stranger", "x"),
            new Amazon.DynamoDBv2.AmazonDynamoDBConfig { ServiceURL = $"http://127.0.0.1:{silo.Port}", AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var error = await Assert.ThrowsAsync<Amazon.DynamoDBv2.AmazonDynamoDBException>(() => stranger.ListTablesAsync());
        Assert.Equal("UnrecognizedClientException", error.ErrorCode);
    }

    /// <summary>
    /// With <c>--orleans-tls-cert</c> the silo port talks only TLS and only with a peer that presents the cluster
    /// certificate: neither no certificate nor another self-signed one gets a connection that carries anything.
    /// </summary>
    private static async Task RequireTheClusterCertificateAsync(ServerProcess silo, X509Certificate2 clusterCertificate)
    {
        Assert.True(await SiloPortAcceptsAsync(silo.SiloPort, clusterCertificate, clusterCertificate));
        Assert.False(await SiloPortAcceptsAsync(silo.SiloPort, clientCertificate: null, clusterCertificate));
        using var stranger = TestCertificates.SelfSigned();
        Assert.False(await SiloPortAcceptsAsync(silo.SiloPort, stranger, clusterCertificate));
    }

    /// <summary>Whether a TLS connection with <paramref name="clientCertificate"/> comes up and stays up for the silo's answer.</summary>
    private static async Task<bool> SiloPortAcceptsAsync(int port, X509Certificate2? clientCertificate, X509Certificate2 serverCertificate)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream());
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tls.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "odyn-cluster",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && serverCertificate.Equals(certificate),
            }, timeout.Token);
            // TLS 1.3 tells a refused client certificate after the handshake: the silo closes instead of writing its preamble.
            var buffer = new byte[1];
            return await tls.ReadAsync(buffer, timeout.Token) > 0;
        }
        catch (Exception error) when (error is System.IO.IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Silos_talk_mutual_TLS_with_the_cluster_certificate()
    {
        var directory = Directory.CreateTempSubdirectory("odyn-cluster-tls-");
        using var clusterCertificate = TestCertificates.SelfSigned();
        await using var cluster = await SiloCluster.StartAsync(await postgres.CreateDatabaseAsync("tls"), silos: 2,
            arguments: ["--orleans-tls-cert", TestCertificates.WritePfx(clusterCertificate, directory.FullName)]);
        await RequireTheClusterCertificateAsync(cluster.Silos[0], clusterCertificate);
        await cluster.CreateTableAsync("items");
        // Partitions activate on both silos: writes through one silo and reads through the other cross the silo link.
        for (var i = 0; i < 40; i++) await cluster.Clients[0].PutItemAsync("items", new() { ["pk"] = S($"k{i}"), ["v"] = S($"v{i}") });
        await cluster.WaitForDistributionAsync(d => d.Count == 2 && d.Values.All(count => count > 0), TimeSpan.FromSeconds(30));
        for (var i = 0; i < 40; i++)
            Assert.Equal($"v{i}", (await cluster.Clients[1].GetItemAsync(new GetItemRequest("items", new() { ["pk"] = S($"k{i}") }, consistentRead: true))).Item["v"].S);
    }

    [Fact]
    public async Task A_joining_silo_takes_a_fair_share_of_partitions_within_60_seconds()
    {
        await using var cluster = await SiloCluster.StartAsync(await postgres.CreateDatabaseAsync("join"), silos: 3);
        ListenOnlyOnTheAdvertisedAddress(cluster.Silos[0]);
        await RequireSignaturesAsync(cluster.Silos[0]);
        await cluster.CreateTableAsync("items");
        var load = new ClusterLoad(cluster);
        using var stop = new CancellationTokenSource();
        var running = Task.WhenAll(Enumerable.Range(0, Writers / 2).Select(w => load.PutItemsAsync(w, stop.Token)));

        // All partitions active and spread over the three silos.
        var before = await cluster.WaitForDistributionAsync(d => d.Values.Sum() == Partitions && d.Values.Max() - d.Values.Min() <= 1,
            TimeSpan.FromSeconds(30));
        output.WriteLine($"before the 4th silo: {SiloCluster.Describe(before)}");

        var joined = Stopwatch.StartNew();
        var newcomer = await cluster.AddSiloAsync();
        var after = await cluster.WaitForDistributionAsync(
            d => d.Count == 4 && d.GetValueOrDefault(newcomer.SiloPort) >= Partitions / 4 - 1 && d.Values.Max() - d.Values.Min() <= 1,
            TimeSpan.FromSeconds(60));
        output.WriteLine($"after the 4th silo joined ({joined.Elapsed.TotalSeconds:F1} s): {SiloCluster.Describe(after)}");

        stop.Cancel();
        await running;
        Assert.True(load.FailuresAfterKill == 0, $"requests failed while partitions moved: {load.ErrorSummary}");
        var stored = (await ClusterLoad.ScanAllAsync(cluster.Clients[0], "items")).ToDictionary(i => i["pk"].S, i => i["v"].S);
        foreach (var (key, value) in load.Puts)
            Assert.True(stored.TryGetValue(key, out var found) && found == value, $"acknowledged write {key} was lost");
    }

    private static AttributeValue S(string value) => new() { S = value };
}

/// <summary>One throwaway PostgreSQL server for the cluster tests; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public Task<string> CreateDatabaseAsync(string name) => _server!.CreateDatabaseAsync(name);

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>Silo processes that form one cluster on one PostgreSQL database.</summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    private readonly string _postgres;
    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<(ServerProcess Silo, IAmazonDynamoDB Client)> _members = [];
    private readonly ConcurrentDictionary<ServerProcess, bool> _killed = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly string[] _arguments;

    private SiloCluster(string postgres, string[] arguments) => (_postgres, _arguments) = (postgres, arguments);

    public IReadOnlyList<ServerProcess> Silos => _members.ConvertAll(m => m.Silo);

    public IReadOnlyList<IAmazonDynamoDB> Clients => _members.ConvertAll(m => m.Client);

    /// <param name="environmentOf">Extra environment variables of the silo with that index (fault points).</param>
    /// <param name="arguments">Extra flags for every silo.</param>
    public static async Task<SiloCluster> StartAsync(string postgres, int silos, Func<int, IReadOnlyDictionary<string, string>>? environmentOf = null,
        string[]? arguments = null)
    {
        var cluster = new SiloCluster(postgres, arguments ?? []);
        environmentOf ??= _ => new Dictionary<string, string>();
        try
        {
            var first = await cluster.AddSiloAsync(environmentOf(0)); // the first one migrates the database
            var rest = await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(i => cluster.AddSiloAsync(environmentOf(i))));
            // In index order, whichever started first: Silos[i] is the one environmentOf(i) configured.
            ServerProcess[] ordered = [first, .. rest];
            cluster._members.Sort((a, b) => Array.IndexOf(ordered, a.Silo).CompareTo(Array.IndexOf(ordered, b.Silo)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ServerProcess> AddSiloAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var silo = await ServerProcess.StartAsync(environment ?? new Dictionary<string, string>(), 
            ["--cluster", "postgres", "--storage", "postgres", "--postgres", _postgres, "--cluster-id", _clusterId, "--initial-partitions", "24", .. _arguments]);
        lock (_members) _members.Add((silo, silo.CreateClient()));
        return silo;
    }

    /// <summary>The silos not killed, as a load balancer that has noticed would pick them.</summary>
    public ServerProcess LiveSilo(int index)
    {
        var live = Silos.Where(s => !IsKilled(s)).ToList();
        return live[index % live.Count];
    }

    public bool IsKilled(ServerProcess silo) => _killed.ContainsKey(silo);

    public IAmazonDynamoDB ClientOf(ServerProcess silo) => _members.First(m => m.Silo == silo).Client;

    public Task KillAsync(ServerProcess silo)
    {
        _killed[silo] = true; // before the signal, so that no failure it causes is blamed on the survivors
        return silo.KillAsync();
    }

    public Task CreateTableAsync(string table) => Clients[0].CreateTableAsync(new CreateTableRequest
    {
        TableName = table,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
    });

    /// <summary>Active partitions per silo, by silo port, from <c>GET /admin/partitions</c> on a live silo.</summary>
    public async Task<Dictionary<int, int>> GetDistributionAsync()
    {
        var silo = LiveSilo(0);
        var counts = await _http.GetFromJsonAsync<Dictionary<string, int>>($"http://127.0.0.1:{silo.AdminPort}/admin/partitions");
        // Keys look like 127.0.0.1:11111@5551212.
        return counts!.ToDictionary(c => int.Parse(c.Key.Split('@')[0].Split(':')[^1]), c => c.Value);
    }

    public async Task<string> DescribeDistributionAsync() => Describe(await GetDistributionAsync());

    public async Task<Dictionary<int, int>> WaitForDistributionAsync(Func<Dictionary<int, int>, bool> condition, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        Dictionary<int, int> last = [];
        while (waited.Elapsed < timeout)
        {
            try
            {
                last = await GetDistributionAsync();
                if (condition(last)) return last;
            }
            catch (HttpRequestException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException($"partitions did not spread as expected within {timeout.TotalSeconds} s: {Describe(last)}");
    }

    public static string Describe(Dictionary<int, int> distribution) =>
        "{" + string.Join(", ", distribution.OrderBy(d => d.Key).Select(d => $"silo :{d.Key} = {d.Value}")) + "}";

    public async ValueTask DisposeAsync()
    {
        foreach (var (silo, client) in _members)
        {
            client.Dispose();
            await silo.DisposeAsync();
        }
        _http.Dispose();
    }
}
