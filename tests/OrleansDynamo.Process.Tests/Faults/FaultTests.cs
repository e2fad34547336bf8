using Npgsql;
using OrleansDynamo.Tests.Shared;
using Xunit.Abstractions;

namespace OrleansDynamo.ProcessTests.Faults;

/// <summary>
/// Seeded fault runs (category Faults). The suite runs them short; a long run is the same test with
/// <c>ODYN_FAULT_SECONDS=1200</c> (and <c>ODYN_FAULT_SEED</c> for another seed), see docs/operations.md.
/// </summary>
[Trait("Category", "Faults")]
public sealed class FaultTests(ITestOutputHelper output)
{
    private static int Seed => int.Parse(Environment.GetEnvironmentVariable("ODYN_FAULT_SEED") ?? "16019");

    private static TimeSpan Duration(int suiteSeconds) => TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("ODYN_FAULT_SECONDS") ?? suiteSeconds.ToString()));

    [Fact]
    public async Task Kill_restart_and_pause_on_the_embedded_store_break_no_invariant()
    {
        using var data = new TempDataDirectory();
        await RunAsync("embedded", Duration(120), duration => new FaultHarness(Seed, duration, () => ServerProcess.StartAsync(data.Arguments)));
    }

    [Fact]
    public async Task Kill_restart_pause_and_ended_connections_on_PostgreSQL_break_no_invariant()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("faults");
        await RunAsync("postgres", Duration(45), duration => new FaultHarness(Seed, duration,
            () => ServerProcess.StartAsync("--storage", "postgres", "--postgres", connectionString), silos: 1, () => TerminateConnectionsAsync(connectionString)));
    }

    /// <summary>
    /// Three silos on PostgreSQL, with partitions small enough to split during the run: silos are killed, paused past the
    /// failure detector, join and leave, while PostgreSQL ends connections and restarts.
    /// </summary>
    [Fact]
    public async Task A_PostgreSQL_cluster_with_splits_silos_coming_and_going_and_PostgreSQL_restarting_breaks_no_invariant()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("cluster-faults");
        var clusterId = "faults-" + Guid.NewGuid().ToString("N")[..8];
        var restarts = new Random(Seed);
        async Task RestartPostgresAsync()
        {
            await postgres.CrashAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(restarts.Next(500, 3000)));
            await postgres.RestartAsync();
        }
        await RunAsync("a postgres cluster", Duration(75), duration => new FaultHarness(Seed, duration,
            () => ServerProcess.StartAsync("--cluster", "postgres", "--storage", "postgres", "--postgres", connectionString, "--cluster-id", clusterId,
                "--initial-partitions", "2", "--split-threshold-bytes", "4096", "--postgres-wait", "30"),
            silos: 3, () => TerminateConnectionsAsync(connectionString), RestartPostgresAsync), minimumPartitions: 3);
    }

    private static async Task TerminateConnectionsAsync(string connectionString)
    {
        await using var admin = NpgsqlDataSource.Create(connectionString);
        await using var terminate = admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        await terminate.ExecuteScalarAsync();
    }

    private async Task RunAsync(string store, TimeSpan duration, Func<TimeSpan, FaultHarness> harness, int minimumPartitions = 0)
    {
        var summary = await harness(duration).RunAsync();
        var line = $"faults on {store}, seed {Seed}: {summary}";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(summary.Violations.Count == 0, line + "\n" + string.Join("\n", summary.Violations.Take(20)));
        // A fault every 1.5 to 4 s, plus a restart's few seconds: at least one per 10 s of run.
        Assert.True(summary.Faults >= Math.Max(5, (int)duration.TotalSeconds / 10), line);
        Assert.True(summary.Operations > 100, line);
        Assert.True(summary.Partitions >= minimumPartitions, $"the table did not split: {line}");
    }
}
