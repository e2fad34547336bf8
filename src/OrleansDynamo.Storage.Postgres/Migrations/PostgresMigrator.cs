using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>One step of the PostgreSQL schema: the SQL of <c>Migrations/NNNN-name.sql</c>.</summary>
public sealed record PostgresMigration(int Version, string Name, string Sql);

/// <summary>
/// Brings a database to the newest schema of OrleansDynamo's PostgreSQL storage: the item store and the
/// tables, functions and <c>OrleansQuery</c> rows that Orleans' ADO.NET grain storage and clustering use.
/// Migrations are the embedded <c>Migrations/NNNN-name.sql</c> files, applied in version order and
/// recorded in <c>odyn_schema_version</c>; all pending ones run in one transaction, under an advisory
/// lock so that silos starting together apply each migration once.
/// </summary>
public sealed partial class PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator>? logger = null)
{
    // Arbitrary, fixed: "odynmigr" in ASCII. Every migrator of every version takes the same lock.
    private const long AdvisoryLockKey = 0x6F64796E_6D696772;

    private const string ResourcePrefix = "OrleansDynamo.Storage.Postgres.Migrations.";

    private readonly ILogger _logger = logger ?? NullLogger<PostgresMigrator>.Instance;

    /// <summary>Every migration this build knows, oldest first.</summary>
    public static IReadOnlyList<PostgresMigration> Migrations { get; } = LoadMigrations();

    /// <summary>Applies the migrations the database lacks; returns their versions (none when up to date).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS odyn_schema_version (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = new HashSet<int>();
            await using (var select = new NpgsqlCommand("SELECT version FROM odyn_schema_version", connection))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));

            var pending = Migrations.Where(m => !applied.Contains(m.Version)).ToList();
            foreach (var migration in pending)
            {
                await ExecuteAsync(connection, migration.Sql, cancellationToken);
                await using var record = new NpgsqlCommand("INSERT INTO odyn_schema_version (version, name) VALUES (@version, @name)", connection)
                {
                    Parameters = { new NpgsqlParameter<int>("version", migration.Version), new NpgsqlParameter<string>("name", migration.Name) },
                };
                await record.ExecuteNonQueryAsync(cancellationToken);
                LogApplied(_logger, migration.Version, migration.Name);
            }
            await transaction.CommitAsync(cancellationToken);
            if (pending.Count == 0) LogUpToDate(_logger, Migrations.Count == 0 ? 0 : Migrations[^1].Version);
            return pending.ConvertAll(m => m.Version);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, "migrate the OrleansDynamo schema");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<PostgresMigration> LoadMigrations()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            // "0002-orleans-grain-storage.sql" -> version 2, name "orleans-grain-storage"
            var file = Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);
            var dash = file.IndexOf('-');
            if (dash <= 0 || !int.TryParse(file[..dash], out var version))
                throw new InvalidOperationException($"Migration resource {resource} is not named NNNN-name.sql");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            migrations.Add(new PostgresMigration(version, file[(dash + 1)..], text.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
            if (migrations[i].Version == migrations[i - 1].Version)
                throw new InvalidOperationException($"Two migrations have version {migrations[i].Version}");
        return migrations;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied PostgreSQL migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL schema is up to date at version {Version}")]
    private static partial void LogUpToDate(ILogger logger, int version);
}
