using System.Net;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary><c>/health/ready</c> of a server process on PostgreSQL follows the store: down when it goes, up when it comes back.</summary>
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
