using Npgsql;
using OrleansDynamo.Storage.Postgres;

namespace OrleansDynamo.Storage.Tests.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigratorTests(PostgresFixture postgres)
{
    private static readonly int[] AllVersions = PostgresMigrator.Migrations.Select(m => m.Version).ToArray();

    [Fact]
    public void Migrations_are_numbered_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, AllVersions.Length), AllVersions);
    }

    [Fact]
    public async Task A_fresh_database_gets_every_migration_and_a_second_run_applies_none()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("migrate_twice"));

        Assert.Equal(AllVersions, await new PostgresMigrator(dataSource).MigrateAsync());
        Assert.Empty(await new PostgresMigrator(dataSource).MigrateAsync());

        Assert.Equal(AllVersions, await RecordedVersionsAsync(dataSource));
    }

    [Fact]
    public async Task Silos_migrating_at_once_apply_each_migration_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync("migrate_concurrently");
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToArray();
        try
        {
            var applied = await Task.WhenAll(dataSources.Select(d => new PostgresMigrator(d).MigrateAsync()));

            Assert.Equal(AllVersions, applied.SelectMany(v => v).Order());
            Assert.Equal(AllVersions, await RecordedVersionsAsync(dataSources[0]));
        }
        finally
        {
            foreach (var dataSource in dataSources) await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_schema_has_every_query_the_Orleans_providers_read()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.SharedMigratedDatabaseAsync("migrator_queries"));
        var keys = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT QueryKey FROM OrleansQuery"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) keys.Add(reader.GetString(0));

        string[] grainStorage = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];
        string[] clustering =
        [
            "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
            "CleanupDefunctSiloEntryKey", "CleanupDefunctSiloEntriesKey",
        ];
        Assert.Equal(grainStorage.Concat(clustering).Order(), keys.Order());
    }

    [Fact]
    public async Task An_unreachable_server_fails_with_a_storage_exception()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(unreachable);

        await Assert.ThrowsAsync<PostgresStorageException>(() => new PostgresMigrator(dataSource).MigrateAsync());
    }

    private static async Task<List<int>> RecordedVersionsAsync(NpgsqlDataSource dataSource)
    {
        var versions = new List<int>();
        await using var command = dataSource.CreateCommand("SELECT version FROM odyn_schema_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }
}
