using Npgsql;
using NpgsqlTypes;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// Keeps items in PostgreSQL, one row per item in <c>odyn_item</c>, and each partition's fencing epoch in
/// <c>odyn_partition</c> (schema: <see cref="PostgresMigrator"/>). Every call is one round trip.
/// </summary>
public sealed class PostgresPartitionStore(NpgsqlDataSource dataSource) : IPartitionStore
{
    private const string PartitionMatch = "table_name = @table AND incarnation = @incarnation AND partition_id = @partition";

    private const string TakeEpochSql = """
        INSERT INTO odyn_partition AS p (table_name, incarnation, partition_id, epoch)
        VALUES (@table, @incarnation, @partition, 1)
        ON CONFLICT (table_name, incarnation, partition_id) DO UPDATE SET epoch = p.epoch + 1
        RETURNING epoch
        """;

    private const string LoadItemsSql = $"SELECT item FROM odyn_item WHERE {PartitionMatch}";

    // One statement: lock the partition row only if it still has our epoch (FOR SHARE lets commits of one
    // epoch run side by side while an OpenAsync waits for them, and makes this wait for an OpenAsync), then
    // write only if the lock was had. Deletes and upserts never share a key (see CommitAsync).
    private const string CommitSql = $"""
        WITH fence AS (
            SELECT FROM odyn_partition WHERE {PartitionMatch} AND epoch = @epoch FOR SHARE
        ), deleted AS (
            DELETE FROM odyn_item
             WHERE {PartitionMatch} AND item_key = ANY(@delete_keys) AND EXISTS (SELECT FROM fence)
        ), upserted AS (
            INSERT INTO odyn_item (table_name, incarnation, partition_id, item_key, item)
            SELECT @table, @incarnation, @partition, put.item_key, put.item
              FROM unnest(@put_keys, @put_items) AS put(item_key, item)
             WHERE EXISTS (SELECT FROM fence)
            ON CONFLICT (table_name, incarnation, partition_id, item_key) DO UPDATE SET item = excluded.item
        )
        SELECT count(*) FROM fence
        """;

    // The partition row goes first: its lock waits for commits in flight, and fences later ones. The
    // items are deleted by the next statement, which then sees everything those commits wrote.
    private const string DeletePartitionSql = $"DELETE FROM odyn_partition WHERE {PartitionMatch}";
    private const string DeleteItemsSql = $"DELETE FROM odyn_item WHERE {PartitionMatch}";

    public async Task<PartitionLoad> OpenAsync(PartitionAddress partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            // A batch runs in one implicit transaction; each statement sees what committed before it began.
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands = { PartitionCommand(TakeEpochSql, partition), PartitionCommand(LoadItemsSql, partition) },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var epoch = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            var items = new List<Item>();
            while (await reader.ReadAsync(cancellationToken))
                items.Add(ItemCodec.Decode(reader.GetFieldValue<byte[]>(0)));
            return new PartitionLoad(epoch, items);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"open partition {partition}");
        }
    }

    public async Task CommitAsync(PartitionAddress partition, long epoch, IReadOnlyList<ItemWrite> writes, CancellationToken cancellationToken = default)
    {
        // The last write of a key wins, so each key ends up either upserted or deleted.
        var newest = new Dictionary<byte[], Item?>(ByteArrayComparer.Instance);
        foreach (var write in writes) newest[write.Key] = write.Item;
        var putKeys = new List<byte[]>(newest.Count);
        var putItems = new List<byte[]>(newest.Count);
        var deleteKeys = new List<byte[]>();
        foreach (var (key, item) in newest)
        {
            if (item is null) { deleteKeys.Add(key); continue; }
            putKeys.Add(key);
            putItems.Add(ItemCodec.Encode(item));
        }

        long fenced;
        try
        {
            await using var command = dataSource.CreateCommand(CommitSql);
            AddPartition(command.Parameters, partition);
            command.Parameters.Add(new NpgsqlParameter<long>("epoch", epoch));
            command.Parameters.Add(new NpgsqlParameter<List<byte[]>>("put_keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = putKeys });
            command.Parameters.Add(new NpgsqlParameter<List<byte[]>>("put_items", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = putItems });
            command.Parameters.Add(new NpgsqlParameter<List<byte[]>>("delete_keys", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = deleteKeys });
            fenced = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"commit {writes.Count} writes to partition {partition}");
        }
        if (fenced == 0) throw new StaleEpochException(partition, epoch);
    }

    public async Task DeletePartitionAsync(PartitionAddress partition, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands = { PartitionCommand(DeletePartitionSql, partition), PartitionCommand(DeleteItemsSql, partition) },
            };
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"delete partition {partition}");
        }
    }

    private static NpgsqlBatchCommand PartitionCommand(string sql, PartitionAddress partition)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddPartition(command.Parameters, partition);
        return command;
    }

    private static void AddPartition(NpgsqlParameterCollection parameters, PartitionAddress partition)
    {
        parameters.Add(new NpgsqlParameter<string>("table", partition.TableName));
        parameters.Add(new NpgsqlParameter<string>("incarnation", partition.Incarnation));
        parameters.Add(new NpgsqlParameter<int>("partition", partition.PartitionId));
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
