using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>What one run of <see cref="PostgresLegacyMigration"/> converted.</summary>
public sealed record LegacyConversion(long Items, int Tables);

/// <summary>
/// Converts the items of the first storage layout (<c>odyn_item</c>, one key space per partition) into
/// spaces (<c>odyn_record</c>, <c>odyn_space</c>) with <see cref="LegacyLayout"/>, once, at silo start right
/// after <see cref="PostgresMigrator"/>. The old rows are streamed and their new records upserted in batches,
/// which may be redone: a crash before the end leaves the old rows in place, and the next start converts
/// them again over what was written. One final transaction writes each space's map, statistics and
/// rebuild markers and deletes the old rows, so a space has a map only once all its items are there.
/// </summary>
public sealed partial class PostgresLegacyMigration(NpgsqlDataSource dataSource, ILogger<PostgresLegacyMigration>? logger = null)
{
    // Arbitrary, fixed: "odynlegy" in ASCII. Silos starting together convert one after the other, and the
    // later ones find nothing left: one that converted in parallel could write old values over new ones.
    private const long AdvisoryLockKey = 0x6F64796E_6C656779;

    // A batch is one statement; items are at most 400 KB, so the byte bound keeps a batch's memory small.
    private const int BatchRecords = 1000;
    private const long BatchBytes = 8 << 20;

    private const string AnyOldItemSql = "SELECT EXISTS (SELECT FROM odyn_item)";

    private const string OldItemsSql = "SELECT table_name, incarnation, partition_id, item_key, item FROM odyn_item";

    // Idempotent: a redone conversion writes the same values again.
    private const string UpsertRecordsSql = """
        INSERT INTO odyn_record (space, kind, key, value)
        SELECT * FROM unnest(@spaces, @kinds, @keys, @values)
        ON CONFLICT (space, kind, key) DO UPDATE SET value = excluded.value
        """;

    // Never replaces a map: a space that has one already is served under it, and partitions of another map
    // would not be fenced by their epochs.
    private const string CreateMapSql = """
        INSERT INTO odyn_space (space, map) VALUES (@space, @map)
        ON CONFLICT (space) DO NOTHING
        """;

    // TRUNCATE, not DELETE: the old tables are emptied whole, at once, and their space returned.
    private const string DropOldRowsSql = "TRUNCATE odyn_item, odyn_partition";

    private readonly ILogger _logger = logger ?? NullLogger<PostgresLegacyMigration>.Instance;

    /// <summary>Converts the items of the old layout, if there are any; returns what it converted, or null when there was nothing.</summary>
    public async Task<LegacyConversion?> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // The reading connection holds the lock for the whole run; closing it (a crash) releases it.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            try
            {
                await using (var any = new NpgsqlCommand(AnyOldItemSql, connection))
                    if (!(bool)(await any.ExecuteScalarAsync(cancellationToken))!) return null;

                var layout = new LegacyLayout();
                var batch = new Batch();
                // Streamed: the reader holds one row at a time, and batches go out on other connections.
                await using (var select = new NpgsqlCommand(OldItemsSql, connection))
                await using (var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var tableName = reader.GetString(0);
                        var incarnation = reader.GetString(1);
                        var partitionId = reader.GetInt32(2);
                        var key = await reader.GetFieldValueAsync<byte[]>(3, cancellationToken);
                        var item = await reader.GetFieldValueAsync<byte[]>(4, cancellationToken);
                        if (layout.Convert(tableName, incarnation, partitionId, key, item) is not { } converted) continue;
                        batch.Add(converted.Space, converted.Write);
                        if (batch.IsFull) await UpsertAsync(batch.Take(), null, cancellationToken);
                    }
                }
                if (batch.Count > 0) await UpsertAsync(batch.Take(), null, cancellationToken);

                await FinishAsync(connection, layout, cancellationToken);
                LogConverted(_logger, layout.Items, layout.Spaces);
                return new LegacyConversion(layout.Items, layout.Spaces);
            }
            finally
            {
                // A pooled connection keeps its session, so the lock is given back here, not by closing it.
                try { await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None); }
                catch (NpgsqlException) { } // a broken connection is not pooled: its session, and the lock, end with it
            }
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, "convert the items of the old storage layout");
        }
    }

    /// <summary>The maps, statistics and markers, and the end of the old rows, in one transaction.</summary>
    private async Task FinishAsync(NpgsqlConnection connection, LegacyLayout layout, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var records = new Batch();
        await using (var maps = new NpgsqlBatch(connection, transaction))
        {
            foreach (var (space, map, writes) in layout.Finish())
            {
                var command = new NpgsqlBatchCommand(CreateMapSql);
                command.Parameters.Add(new NpgsqlParameter<string>("space", space.Name));
                command.Parameters.Add(new NpgsqlParameter<byte[]>("map", StoreCodec.EncodeMap(map)));
                maps.BatchCommands.Add(command);
                foreach (var write in writes) records.Add(space, write);
            }
            maps.BatchCommands.Add(new NpgsqlBatchCommand(DropOldRowsSql));
            await maps.ExecuteNonQueryAsync(cancellationToken);
        }
        if (records.Count > 0) await UpsertAsync(records.Take(), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task UpsertAsync(Batch.Columns columns, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = transaction is null
            ? dataSource.CreateCommand(UpsertRecordsSql)
            : new NpgsqlCommand(UpsertRecordsSql, transaction.Connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<List<string>>("spaces", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = columns.Spaces });
        command.Parameters.Add(PostgresPartitionStore.KindsParameter("kinds", columns.Kinds));
        command.Parameters.Add(PostgresPartitionStore.BytesParameter("keys", columns.Keys));
        command.Parameters.Add(PostgresPartitionStore.BytesParameter("values", columns.Values));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Records to upsert, one per (space, kind, key): one statement must not upsert a row twice, and two
    /// old rows can give one new record (an item left in two partitions by a split); the last one read wins.
    /// </summary>
    private sealed class Batch
    {
        public sealed record Columns(List<string> Spaces, List<short> Kinds, List<byte[]> Keys, List<byte[]> Values);

        private readonly Dictionary<(string Space, RecordKind Kind, byte[] Key), byte[]> _records = new(AddressComparer.Instance);
        private long _bytes;

        public int Count => _records.Count;
        public bool IsFull => _records.Count >= BatchRecords || _bytes >= BatchBytes;

        public void Add(StoreSpace space, StoreWrite write)
        {
            _records[(space.Name, write.Kind, write.Key)] = write.Value!;
            _bytes += write.Key.Length + write.Value!.Length;
        }

        public Columns Take()
        {
            var columns = new Columns(new(Count), new(Count), new(Count), new(Count));
            foreach (var ((space, kind, key), value) in _records)
            {
                columns.Spaces.Add(space);
                columns.Kinds.Add((short)kind);
                columns.Keys.Add(key);
                columns.Values.Add(value);
            }
            _records.Clear();
            _bytes = 0;
            return columns;
        }

        private sealed class AddressComparer : IEqualityComparer<(string Space, RecordKind Kind, byte[] Key)>
        {
            public static readonly AddressComparer Instance = new();

            public bool Equals((string Space, RecordKind Kind, byte[] Key) x, (string Space, RecordKind Kind, byte[] Key) y) =>
                x.Kind == y.Kind && x.Space == y.Space && x.Key.AsSpan().SequenceEqual(y.Key);

            public int GetHashCode((string Space, RecordKind Kind, byte[] Key) address) =>
                HashCode.Combine(address.Space, address.Kind, Model.ByteArrayComparer.Instance.GetHashCode(address.Key));
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Converted {Items} items of {Tables} tables to the storage layout of December 2026 (one-time migration)")]
    private static partial void LogConverted(ILogger logger, long items, int tables);
}
