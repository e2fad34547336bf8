using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// Migrates the database at the very first silo lifecycle stage, before clustering
/// (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>) and grain storage
/// (<see cref="ServiceLifecycleStage.ApplicationServices"/>) read their queries from it, and converts
/// items of the old storage layout (<see cref="PostgresLegacyMigration"/>) before any partition reads them.
/// </summary>
internal sealed class PostgresSchemaStartup(string connectionString, ILoggerFactory loggerFactory)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public string ConnectionString => connectionString;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator(dataSource, loggerFactory.CreateLogger<PostgresMigrator>()).MigrateAsync(cancellationToken);
        await new PostgresLegacyMigration(dataSource, loggerFactory.CreateLogger<PostgresLegacyMigration>()).RunAsync(cancellationToken);
    }
}
