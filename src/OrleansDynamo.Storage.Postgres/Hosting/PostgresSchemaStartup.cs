using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// Migrates the database at the very first silo lifecycle stage, before clustering
/// (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>) and grain storage
/// (<see cref="ServiceLifecycleStage.ApplicationServices"/>) read their queries from it.
/// </summary>
internal sealed class PostgresSchemaStartup(string connectionString, ILogger<PostgresMigrator> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public string ConnectionString => connectionString;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator(dataSource, logger).MigrateAsync(cancellationToken);
    }
}
