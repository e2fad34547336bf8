using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// Migrates the database at the very first silo lifecycle stage, before clustering
/// (<see cref="ServiceLifecycleStage.RuntimeGrainServices"/>) and grain storage
/// (<see cref="ServiceLifecycleStage.ApplicationServices"/>) read their queries from it, and converts
/// items of the old storage layout (<see cref="PostgresLegacyMigration"/>) before any partition reads them.
/// While PostgreSQL cannot be reached it tries again for <see cref="OrleansDynamoPostgresOptions.StartupWait"/>.
/// </summary>
internal sealed partial class PostgresSchemaStartup(string connectionString, TimeSpan startupWait, ILoggerFactory loggerFactory)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>SQLSTATE of "the database system is starting up".</summary>
    private const string CannotConnectNow = "57P03";

    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private readonly ILogger _logger = loggerFactory.CreateLogger<PostgresSchemaStartup>();

    public string ConnectionString => connectionString;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.First, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(RetryPause, cancellationToken))
        {
            try
            {
                await MigrateOnceAsync(cancellationToken);
                return;
            }
            catch (PostgresStorageException e) when (e.SqlState is null or CannotConnectNow && waited.Elapsed + RetryPause < startupWait)
            {
                // No server, or one still starting. A server that answers with another error will not change its mind.
                LogWaiting(_logger, (startupWait - waited.Elapsed).TotalSeconds, e.Message);
            }
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new PostgresMigrator(dataSource, loggerFactory.CreateLogger<PostgresMigrator>()).MigrateAsync(cancellationToken);
        await new PostgresLegacyMigration(dataSource, loggerFactory.CreateLogger<PostgresLegacyMigration>()).RunAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL, {SecondsLeft:F0} s more: {Reason}")]
    private static partial void LogWaiting(ILogger logger, double secondsLeft, string reason);
}
