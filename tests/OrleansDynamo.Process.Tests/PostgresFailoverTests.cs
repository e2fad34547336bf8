using System.Diagnostics;
using Amazon.DynamoDBv2.Model;
using Xunit.Abstractions;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Silo processes on a PostgreSQL primary with a synchronous standby (<see cref="PostgresPair"/>), through a
/// multi-host connection string: the primary dies with kill -9 under write load, the standby is promoted, and
/// service comes back on it with every acknowledged write there. Membership lives in the same database, so the
/// silos must also come through the switch without declaring one another dead.
/// </summary>
public sealed class PostgresFailoverTests(ITestOutputHelper output)
{
    private const int Writers = 8;
    private const int CounterWriters = 4;
    private static readonly TimeSpan DetectionDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Killing_the_primary_loses_no_acknowledged_write_and_service_returns_on_the_promoted_standby()
    {
        await using var pair = await PostgresPair.StartAsync();
        await using var cluster = await SiloCluster.StartAsync(await pair.CreateDatabaseAsync("failover"), silos: 2);
        var load = await ClusterLoad.CreateTablesAsync(cluster);
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(Writers, CounterWriters, stop.Token);

        await Task.Delay(TimeSpan.FromSeconds(4));
        output.WriteLine($"before the kill: {load.Puts.Count} puts, {load.Increments.Count} increments acknowledged");
        load.KilledAt = Stopwatch.GetTimestamp();
        await pair.KillAsync("a");
        // The operator's (or an agent's) failure detection, then the promotion.
        await Task.Delay(DetectionDelay);
        await pair.PromoteAsync("b");
        var promotedAfter = Stopwatch.GetElapsedTime(load.KilledAt);
        var atPromotion = load.Puts.Count;
        await Task.Delay(TimeSpan.FromSeconds(12));
        stop.Cancel();
        await running;

        var recovery = load.LongestStallAfterKill;
        output.WriteLine($"standby promoted {promotedAfter.TotalSeconds:F2} s after the kill; no write acknowledged for {recovery.TotalSeconds:F2} s at most; " +
                         $"last failed request ended {load.RecoveryTime.TotalSeconds:F2} s after the kill ({load.FailuresAfterKill} failed attempts; " +
                         $"{load.Puts.Count} puts and {load.Increments.Count} increments acknowledged)");
        output.WriteLine($"errors seen: {load.ErrorSummary}");
        Assert.True(recovery < RecoveryLimit, $"no write was acknowledged for {recovery.TotalSeconds:F2} s; errors: {load.ErrorSummary}");
        Assert.True(load.Puts.Count > atPromotion + 100, $"only {load.Puts.Count - atPromotion} puts acknowledged after the promotion");

        // Both silos came through: neither was declared dead (a silo that is shuts itself down), both are ready.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var silo in cluster.Silos)
        {
            Assert.False(silo.HasExited, $"silo :{silo.SiloPort} stopped: {silo.Output}");
            Assert.True((await http.GetAsync($"http://127.0.0.1:{silo.AdminPort}/health/ready")).IsSuccessStatusCode, $"silo :{silo.SiloPort} is not ready");
        }
        await load.AssertNothingLostAsync(cluster.Clients[0]);

        // The old primary comes back rewound, as the standby: commits wait for it again, and they go on.
        await pair.RejoinAsync("a");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "standby", ["b"] = "primary" }, await pair.StatusAsync());
        await cluster.Clients[1].PutItemAsync("items", new() { ["pk"] = new() { S = "after-rejoin" }, ["v"] = new() { S = "x" } });
        var stored = await cluster.Clients[0].GetItemAsync(new GetItemRequest("items", new() { ["pk"] = new() { S = "after-rejoin" } }, consistentRead: true));
        Assert.Equal("x", stored.Item["v"].S);
    }
}
