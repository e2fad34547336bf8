using Npgsql;
using OrleansDynamo.Storage.Postgres;
using OrleansDynamo.Tests.Shared;

namespace OrleansDynamo.Storage.Tests.Postgres;

/// <summary>One throwaway PostgreSQL server for every PostgreSQL test class; each class takes its own databases.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Task<string>> _shared = [];
    private PostgresServer? _server;
    private int _databases;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The server has not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>A fresh, empty database.</summary>
    public Task<string> CreateDatabaseAsync(string purpose) =>
        Server.CreateDatabaseAsync($"{purpose}_{Interlocked.Increment(ref _databases)}");

    /// <summary>One migrated database per <paramref name="purpose"/>, created on first use, for tests that don't collide.</summary>
    public Task<string> SharedMigratedDatabaseAsync(string purpose)
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(purpose, out var database))
                _shared[purpose] = database = CreateMigratedDatabaseAsync(purpose);
            return database;
        }
    }

    /// <summary>A fresh database with the newest schema.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var connectionString = await CreateDatabaseAsync(purpose);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator(dataSource).MigrateAsync();
        return connectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
