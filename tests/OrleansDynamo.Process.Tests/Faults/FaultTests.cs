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
        await RunAsync("embedded", Duration(120), duration => new FaultHarness(Seed, duration, data.Arguments));
    }

    [Fact]
    public async Task Kill_restart_pause_and_ended_connections_on_PostgreSQL_break_no_invariant()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("faults");
        async Task TerminateConnectionsAsync()
        {
            await using var admin = NpgsqlDataSource.Create(connectionString);
            await using var terminate = admin.CreateCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            await terminate.ExecuteScalarAsync();
        }
        await RunAsync("postgres", Duration(60), duration => new FaultHarness(Seed, duration, ["--storage", "postgres", "--postgres", connectionString], TerminateConnectionsAsync));
    }

    private async Task RunAsync(string store, TimeSpan duration, Func<TimeSpan, FaultHarness> harness)
    {
        var summary = await harness(duration).RunAsync();
        var line = $"faults on {store}, seed {Seed}: {summary}";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(summary.Violations.Count == 0, line + "\n" + string.Join("\n", summary.Violations.Take(20)));
        // A fault every 1.5 to 4 s, plus a restart's few seconds: at least one per 10 s of run.
        Assert.True(summary.Faults >= Math.Max(5, (int)duration.TotalSeconds / 10), line);
        Assert.True(summary.Operations > 100, line);
    }
}
