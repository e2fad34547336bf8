using Xunit.Abstractions;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Three silos on PostgreSQL; one of them kills itself (SIGKILL) right after one of the coordinators it hosts has
/// written its commit record and before any partition applied it. Coordinators live where their request arrived,
/// and the workload sends transfers to every silo, retrying a failed call with its ClientRequestToken on another.
/// The partitions holding that transaction's intents ask its coordinator, which comes back on a surviving silo
/// and finds the commit record: the transaction resolves, committed, and every total is exact.
/// </summary>
public sealed class TransactionClusterTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Killing_the_silo_of_a_coordinator_mid_transaction_resolves_it_and_keeps_every_total()
    {
        await using var cluster = await SiloCluster.StartAsync(await postgres.CreateDatabaseAsync("transaction_failover"), silos: 3,
            i => i == 1
                ? new Dictionary<string, string> { ["ODYN_FAULT_POINT"] = "transaction-after-decision", ["ODYN_FAULT_AFTER"] = "10" }
                : new Dictionary<string, string>());
        await Ledger.CreateAsync(cluster.Clients[0]);
        var victim = cluster.Silos[1];

        var load = new Ledger(attempt => cluster.ClientOf(cluster.LiveSilo(attempt)));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token, retries: 20);
        Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(120)),
            $"the fault point was not reached ({load.Acknowledged.Count} of {load.Attempted.Count} transfers acknowledged):\n{victim.Output}");
        await cluster.KillAsync(victim); // marks it dead for the workload's silo choice
        var acknowledgedAtKill = load.Acknowledged.Count;
        await Task.Delay(TimeSpan.FromSeconds(8));
        stop.Cancel();
        await running;
        output.WriteLine($"{acknowledgedAtKill} transfers acknowledged at the kill, {load.Acknowledged.Count} in all, {load.Attempted.Count} attempted");
        Assert.True(load.Acknowledged.Count > acknowledgedAtKill, "no transfer was acknowledged after the kill");

        await load.CheckAsync(cluster.ClientOf(cluster.LiveSilo(0)));
    }
}
