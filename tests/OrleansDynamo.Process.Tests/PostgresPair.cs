using Npgsql;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// A PostgreSQL primary with a synchronous standby, set up and driven by <c>infra/postgres-pair.sh</c> (the script
/// operators use for demos), so that the tests exercise that script too. Node a starts as the primary.
/// </summary>
internal sealed class PostgresPair : IAsyncDisposable
{
    private readonly string _folder;

    private PostgresPair(string folder) => _folder = folder;

    public static async Task<PostgresPair> StartAsync()
    {
        var pair = new PostgresPair(Path.Combine(Path.GetTempPath(), "odyn-pair-" + Guid.NewGuid().ToString("N")));
        try
        {
            await pair.RunAsync("init", ServerProcess.FreePort().ToString(), ServerProcess.FreePort().ToString());
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
        return pair;
    }

    /// <summary>Creates a database on the primary (it replicates) and returns the silos' multi-host connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        var connectionString = await RunAsync("connection");
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return await RunAsync("connection", name);
    }

    public Task KillAsync(string node) => RunAsync("kill", node);

    public Task PromoteAsync(string node) => RunAsync("promote", node);

    public Task RejoinAsync(string node) => RunAsync("rejoin", node);

    /// <summary>Each node's role: "a 5432 primary", "b 5433 standby" or "down".</summary>
    public async Task<Dictionary<string, string>> StatusAsync() =>
        (await RunAsync("status")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => parts[^1]);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            try { await RunAsync("stop"); }
            catch (InvalidOperationException) { }
            try { Directory.Delete(_folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private async Task<string> RunAsync(string command, params string[] arguments) =>
        (await PostgresServer.RunAsync("bash", [Script, command, _folder, .. arguments], asSuperuser: false)).Trim();

    private static string Script { get; } = FindScript();

    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "infra", "postgres-pair.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException("infra/postgres-pair.sh is not above " + AppContext.BaseDirectory);
    }
}
