using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Transactions under kill -9, with real processes: a stream of transfers, each also writing three marker items
/// spread over the partitions, and the server is killed mid-stream (from outside, or by itself right after every
/// partition voted yes, or right after the commit record was written). After the restart every transaction is
/// whole or absent (its three markers all there or none), every acknowledged one is there, the balances add up,
/// and no intent is left: every item touched takes a single-item write again.
/// </summary>
public sealed class TransactionKillTests
{
    public static TheoryData<string?> Kills => [null, "transaction-after-prepare", "transaction-after-decision"];

    [Theory]
    [MemberData(nameof(Kills))]
    public async Task Embedded_store_leaves_every_transaction_whole_or_absent_across_kill_9(string? faultPoint)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "odyn-txkill-" + Guid.NewGuid().ToString("N"));
        try
        {
            await KilledDuringTransactionsAsync(faultPoint, ["--data-dir", dataDirectory]);
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Kills))]
    public async Task Postgres_store_leaves_every_transaction_whole_or_absent_across_kill_9(string? faultPoint)
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("transaction_kill");
        await KilledDuringTransactionsAsync(faultPoint, ["--storage", "postgres", "--postgres", connectionString]);
    }

    private static async Task KilledDuringTransactionsAsync(string? faultPoint, string[] storage)
    {
        var environment = faultPoint is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { ["ODYN_FAULT_POINT"] = faultPoint, ["ODYN_FAULT_AFTER"] = "150" };
        IAmazonDynamoDB? current = null;
        var load = new Ledger(_ => current!);
        await using (var server = await ServerProcess.StartAsync(environment, ["--initial-partitions", "4", .. storage]))
        {
            using var client = server.CreateClient();
            current = client;
            await Ledger.CreateAsync(client);
            using var stop = new CancellationTokenSource();
            var running = load.RunAsync(stop.Token);
            if (faultPoint is null)
            {
                while (load.Acknowledged.Count < 150 && !running.IsCompleted) await Task.Delay(10);
                await server.KillAsync();
            }
            else Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(120)), "the fault point was not reached:\n" + server.Output);
            stop.Cancel();
            await running;
        }
        Assert.True(load.Acknowledged.Count >= 50, $"only {load.Acknowledged.Count} transactions were acknowledged before the kill");

        await using var restarted = await ServerProcess.StartAsync(["--initial-partitions", "4", .. storage]);
        using var after = restarted.CreateClient();
        try
        {
            await load.CheckAsync(after);
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException("The restarted server failed:\n" + restarted.Output, e);
        }
    }
}
