using System.Net;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// A server process on PostgreSQL and the store's outages: <c>/health/ready</c> follows the store, and a silo started
/// while PostgreSQL is down waits for it with <c>--postgres-wait</c>.
/// </summary>
public sealed class HealthTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Readiness_flips_when_the_store_goes_away_and_comes_back_while_liveness_stays()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var server = await ServerProcess.StartAsync("--storage", "postgres", "--postgres", await postgres.CreateDatabaseAsync("health"));
        var admin = new Uri($"http://127.0.0.1:{server.AdminPort}");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/health/ready"));

        await postgres.CrashAsync();
        Assert.True(await WaitForAsync(admin, "/health/ready", HttpStatusCode.ServiceUnavailable), "ready while the store is gone\n" + server.Output);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/health/live"));

        await postgres.RestartAsync();
        Assert.True(await WaitForAsync(admin, "/health/ready", HttpStatusCode.OK), "not ready once the store is back\n" + server.Output);
    }

    [Fact]
    public async Task A_silo_started_while_PostgreSQL_is_down_waits_for_it_and_then_serves()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("late");
        await postgres.CrashAsync();

        var starting = ServerProcess.StartAsync("--cluster", "postgres", "--storage", "postgres", "--postgres", database + ";Timeout=2",
            "--cluster-id", "late-" + Guid.NewGuid().ToString("N")[..8], "--postgres-wait", "60");
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.False(starting.IsCompleted, "the silo did not wait for PostgreSQL: " + (starting.Exception?.InnerException?.Message ?? "it started"));

        await postgres.RestartAsync();
        await using var server = await starting;
        using var client = server.CreateClient();
        await client.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
        {
            TableName = "late", BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
            KeySchema = [new("pk", Amazon.DynamoDBv2.KeyType.HASH)], AttributeDefinitions = [new("pk", Amazon.DynamoDBv2.ScalarAttributeType.S)],
        });
        await client.PutItemAsync("late", new() { ["pk"] = new() { S = "a" } });
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(new Uri($"http://127.0.0.1:{server.AdminPort}"), "/health/ready"));
    }

    private static async Task<HttpStatusCode> StatusAsync(Uri admin, string path)
    {
        using var response = await Http.GetAsync(new Uri(admin, path));
        return response.StatusCode;
    }

    private static async Task<bool> WaitForAsync(Uri admin, string path, HttpStatusCode expected)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
            if (await StatusAsync(admin, path) == expected) return true;
        return false;
    }
}
