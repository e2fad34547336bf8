using Npgsql;
using NpgsqlTypes;
using OrleansDynamo.Model;

namespace OrleansDynamo.Storage.Postgres;

/// <summary>
/// Keeps spaces in PostgreSQL (schema: <c>Migrations/0004-spaces.sql</c>): each space's partition map in
/// <c>odyn_space</c>, each partition's fencing epoch in <c>odyn_epoch</c>, and every record in
/// <c>odyn_record</c> under (space, kind, key), whose primary key orders keys bytewise as the store's keys
/// need. Every call is one round trip, except a split (rare), which is one transaction of three.
/// </summary>
public sealed class PostgresPartitionStore(NpgsqlDataSource dataSource) : IPartitionStore
{
    private const string EpochMatch = "space = @space AND partition_id = @partition";
    private const string RecordMatch = "space = @space AND kind = @kind";

    // The SELECT does not see the row the INSERT adds (one snapshot), so exactly one of the two answers,
    // unless another EnsureMapAsync inserted the row after this statement's snapshot: then neither does,
    // and the call asks again (see EnsureMapAsync).
    private const string EnsureMapSql = """
        WITH created AS (
            INSERT INTO odyn_space (space, map) VALUES (@space, @map)
            ON CONFLICT (space) DO NOTHING
            RETURNING map
        )
        SELECT map FROM created
        UNION ALL
        SELECT map FROM odyn_space WHERE space = @space
        """;

    private const string ReadMapSql = "SELECT map FROM odyn_space WHERE space = @space";

    // Only in a space that has a map: opening a partition of a deleted space leaves nothing behind.
    private const string TakeEpochSql = $"""
        INSERT INTO odyn_epoch AS e (space, partition_id, epoch)
        SELECT @space, @partition, 1 WHERE EXISTS (SELECT FROM odyn_space WHERE space = @space)
        ON CONFLICT (space, partition_id) DO UPDATE SET epoch = e.epoch + 1
        RETURNING epoch
        """;

    // A split locks the parent's epoch row first and the map second; nothing locks them the other way
    // round (DeleteSpaceAsync also takes epochs before the map), so splits and deletes cannot deadlock.
    // The epoch row lock waits for the parent's commits in flight (they hold it FOR SHARE) and for an
    // OpenAsync of the parent; the map lock serialises splits of one space.
    private const string LockEpochSql = $"SELECT epoch FROM odyn_epoch WHERE {EpochMatch} FOR UPDATE";
    private const string LockMapSql = "SELECT map FROM odyn_space WHERE space = @space FOR UPDATE";
    private const string WriteMapSql = "UPDATE odyn_space SET map = @map WHERE space = @space";
    private const string AdvanceEpochSql = $"UPDATE odyn_epoch SET epoch = @epoch WHERE {EpochMatch}";

    // One statement: lock the epoch row only if it still has our epoch (FOR SHARE lets commits of one
    // epoch run side by side while an OpenAsync or a split waits for them, and makes this wait for an
    // OpenAsync or a split, after which the row no longer matches), then write only if the lock was had.
    // Deletes and upserts never share a (kind, key) (see CommitAsync): the sub-statements of one
    // statement see one snapshot, so they must not touch the same row.
    private const string CommitSql = $"""
        WITH fence AS (
            SELECT FROM odyn_epoch WHERE {EpochMatch} AND epoch = @epoch FOR SHARE
        ), deleted AS (
            DELETE FROM odyn_record AS r
             USING unnest(@delete_kinds, @delete_keys) AS gone(kind, key)
             WHERE r.space = @space AND r.kind = gone.kind AND r.key = gone.key AND EXISTS (SELECT FROM fence)
        ), upserted AS (
            INSERT INTO odyn_record (space, kind, key, value)
            SELECT @space, put.kind, put.key, put.value
              FROM unnest(@put_kinds, @put_keys, @put_values) AS put(kind, key, value)
             WHERE EXISTS (SELECT FROM fence)
            ON CONFLICT (space, kind, key) DO UPDATE SET value = excluded.value
        )
        SELECT count(*) FROM fence
        """;

    private const string GetSql = $"SELECT value FROM odyn_record WHERE {RecordMatch} AND key = @key";
    private const string GetManySql = $"SELECT key, value FROM odyn_record WHERE {RecordMatch} AND key = ANY(@keys)";

    // One statement per shape, so that each bound is an index condition of the primary key's range scan
    // (an "@to IS NULL OR key < @to" would leave a reverse scan to start at the end of the namespace).
    private const string RangeFrom = $"SELECT key, value FROM odyn_record WHERE {RecordMatch} AND key >= @from";
    private const string ReadForwardSql = $"{RangeFrom} ORDER BY key LIMIT @limit";
    private const string ReadForwardToSql = $"{RangeFrom} AND key < @to ORDER BY key LIMIT @limit";
    private const string ReadBackwardSql = $"{RangeFrom} ORDER BY key DESC LIMIT @limit";
    private const string ReadBackwardToSql = $"{RangeFrom} AND key < @to ORDER BY key DESC LIMIT @limit";

    private const string ListSpacesSql = "SELECT space FROM odyn_space ORDER BY space";

    // The epoch rows go first: deleting them waits for commits in flight and fences later ones (and
    // waits for a split, which takes the epoch row before the map). The records are deleted by the next
    // statement, which then sees everything those commits wrote.
    private const string DeleteEpochsSql = "DELETE FROM odyn_epoch WHERE space = @space";
    private const string DeleteRecordsSql = "DELETE FROM odyn_record WHERE space = @space";
    private const string DeleteMapSql = "DELETE FROM odyn_space WHERE space = @space";

    public async Task<StoredMap> EnsureMapAsync(StoreSpace space, PartitionMap initial, CancellationToken cancellationToken = default)
    {
        var encoded = StoreCodec.EncodeMap(StoreCodec.Initial(initial));
        try
        {
            // A second try sees the row that a concurrent call inserted while the first one looked.
            while (true)
            {
                await using var command = dataSource.CreateCommand(EnsureMapSql);
                command.Parameters.Add(SpaceParameter(space));
                command.Parameters.Add(new NpgsqlParameter<byte[]>("map", encoded));
                if (await command.ExecuteScalarAsync(cancellationToken) is byte[] stored) return StoreCodec.DecodeMap(stored);
            }
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"create the partition map of {space}");
        }
    }

    public async Task<StoredMap?> ReadMapAsync(StoreSpace space, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(ReadMapSql);
            command.Parameters.Add(SpaceParameter(space));
            return await command.ExecuteScalarAsync(cancellationToken) is byte[] stored ? StoreCodec.DecodeMap(stored) : null;
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"read the partition map of {space}");
        }
    }

    public async Task<SplitOutcome> SplitAsync(StoreSpace space, int parentId, long parentEpoch, ulong splitAt, CancellationToken cancellationToken = default)
    {
        try
        {
            // Three round trips (lock and read, write, commit): the new map is computed here, by the same
            // StoreCodec.Split as every store's, between reading the old one and writing it back.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long? epoch = null;
            byte[]? map = null;
            await using (var locks = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands = { EpochCommand(LockEpochSql, space, parentId), SpaceCommand(LockMapSql, space) },
            })
            await using (var reader = await locks.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken)) epoch = reader.GetInt64(0);
                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken)) map = reader.GetFieldValue<byte[]>(0);
            }
            // Leaving without a commit rolls the transaction back and releases the locks.
            if (epoch != parentEpoch || map is null) throw new StaleEpochException(space, parentId, parentEpoch);

            var split = StoreCodec.Split(StoreCodec.DecodeMap(map), parentId, splitAt);
            var advanced = parentEpoch + 1;
            var writeMap = SpaceCommand(WriteMapSql, space);
            writeMap.Parameters.Add(new NpgsqlParameter<byte[]>("map", StoreCodec.EncodeMap(split)));
            var advanceEpoch = EpochCommand(AdvanceEpochSql, space, parentId);
            advanceEpoch.Parameters.Add(new NpgsqlParameter<long>("epoch", advanced));
            await using (var writes = new NpgsqlBatch(connection, transaction) { BatchCommands = { writeMap, advanceEpoch } })
                await writes.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SplitOutcome(split.Map, advanced, split.NextPartitionId - 1);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"split partition {parentId} of {space}");
        }
    }

    public async Task<PartitionOpening> OpenAsync(StoreSpace space, int partitionId, CancellationToken cancellationToken = default)
    {
        try
        {
            // A batch runs in one implicit transaction; each statement sees what committed before it began.
            // So the map is read after the epoch was taken, which waited for a split of this partition in
            // flight: the range answered is the one of the epoch answered. (One statement would read the
            // map as of its start, before the split it waited for.)
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(EpochCommand(TakeEpochSql, space, partitionId));
            batch.BatchCommands.Add(SpaceCommand(ReadMapSql, space));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var epoch = await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : 0;
            await reader.NextResultAsync(cancellationToken);
            var map = await reader.ReadAsync(cancellationToken) ? StoreCodec.DecodeMap(reader.GetFieldValue<byte[]>(0)) : null;
            var range = map?.Map.Ranges.FirstOrDefault(r => r.PartitionId == partitionId);
            return new PartitionOpening(epoch, range, map?.Map.Version ?? 0);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"open partition {partitionId} of {space}");
        }
    }

    public async Task CommitAsync(StoreSpace space, int partitionId, long epoch, IReadOnlyList<StoreWrite> writes, CancellationToken cancellationToken = default)
    {
        // The last write of a (kind, key) wins, so each ends up either upserted or deleted.
        var newest = new Dictionary<(RecordKind Kind, byte[] Key), byte[]?>(RecordAddressComparer.Instance);
        foreach (var write in writes) newest[(write.Kind, write.Key)] = write.Value;
        var putKinds = new List<short>(newest.Count);
        var putKeys = new List<byte[]>(newest.Count);
        var putValues = new List<byte[]>(newest.Count);
        var deleteKinds = new List<short>();
        var deleteKeys = new List<byte[]>();
        foreach (var ((kind, key), value) in newest)
        {
            if (value is null)
            {
                deleteKinds.Add((short)kind);
                deleteKeys.Add(key);
                continue;
            }
            putKinds.Add((short)kind);
            putKeys.Add(key);
            putValues.Add(value);
        }

        long fenced;
        try
        {
            // Even with no writes: the answer still says whether the epoch is current.
            await using var command = dataSource.CreateCommand(CommitSql);
            command.Parameters.Add(SpaceParameter(space));
            command.Parameters.Add(new NpgsqlParameter<int>("partition", partitionId));
            command.Parameters.Add(new NpgsqlParameter<long>("epoch", epoch));
            command.Parameters.Add(KindsParameter("put_kinds", putKinds));
            command.Parameters.Add(BytesParameter("put_keys", putKeys));
            command.Parameters.Add(BytesParameter("put_values", putValues));
            command.Parameters.Add(KindsParameter("delete_kinds", deleteKinds));
            command.Parameters.Add(BytesParameter("delete_keys", deleteKeys));
            fenced = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"commit {writes.Count} writes to partition {partitionId} of {space}");
        }
        if (fenced == 0) throw new StaleEpochException(space, partitionId, epoch);
    }

    public async ValueTask<byte[]?> GetAsync(StoreSpace space, RecordKind kind, byte[] key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand(GetSql);
            AddRecordMatch(command.Parameters, space, kind);
            command.Parameters.Add(new NpgsqlParameter<byte[]>("key", key));
            return await command.ExecuteScalarAsync(cancellationToken) as byte[];
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"read a {kind} record of {space}");
        }
    }

    public async ValueTask<byte[]?[]> GetManyAsync(StoreSpace space, RecordKind kind, IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        var values = new byte[]?[keys.Count];
        if (keys.Count == 0) return values;
        var found = new Dictionary<byte[], byte[]>(keys.Count, ByteArrayComparer.Instance);
        try
        {
            await using var command = dataSource.CreateCommand(GetManySql);
            AddRecordMatch(command.Parameters, space, kind);
            command.Parameters.Add(BytesParameter("keys", keys as List<byte[]> ?? [.. keys]));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                found[reader.GetFieldValue<byte[]>(0)] = reader.GetFieldValue<byte[]>(1);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"read {keys.Count} {kind} records of {space}");
        }
        for (var i = 0; i < keys.Count; i++) values[i] = found.GetValueOrDefault(keys[i]);
        return values;
    }

    public async ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, bool forward, int limit,
        CancellationToken cancellationToken = default)
    {
        if (limit <= 0) return [];
        var sql = (forward, to is null) switch
        {
            (true, true) => ReadForwardSql,
            (true, false) => ReadForwardToSql,
            (false, true) => ReadBackwardSql,
            (false, false) => ReadBackwardToSql,
        };
        await using var command = dataSource.CreateCommand(sql);
        return await ReadRangeAsync(command, space, kind, from, to, limit, cancellationToken);
    }

    /// <summary>Runs a range statement (one of the Read*Sql) with its parameters, on whatever connection the command has.</summary>
    private static async Task<IReadOnlyList<StoreRecord>> ReadRangeAsync(NpgsqlCommand command, StoreSpace space, RecordKind kind, byte[] from, byte[]? to,
        int limit, CancellationToken cancellationToken)
    {
        var records = new List<StoreRecord>();
        try
        {
            AddRecordMatch(command.Parameters, space, kind);
            command.Parameters.Add(new NpgsqlParameter<byte[]>("from", from));
            if (to is not null) command.Parameters.Add(new NpgsqlParameter<byte[]>("to", to));
            command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                records.Add(new StoreRecord(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1)));
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"read a range of {kind} records of {space}");
        }
        return records;
    }

    /// <summary>A REPEATABLE READ transaction on a connection of its own: every statement in it sees the database as of its first read.</summary>
    public async Task<IStoreSnapshot> OpenSnapshotAsync(IReadOnlyList<StoreSpace> spaces, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            // The snapshot is taken by the first statement, so take it now: the instant is the call's, not the first read's.
            await using (var start = new NpgsqlCommand("SELECT 1", connection, transaction)) await start.ExecuteScalarAsync(cancellationToken);
            return new Snapshot(connection, transaction);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, "open a snapshot");
        }
    }

    private sealed class Snapshot(NpgsqlConnection connection, NpgsqlTransaction transaction) : IStoreSnapshot
    {
        public async ValueTask<IReadOnlyList<StoreRecord>> ReadRangeAsync(StoreSpace space, RecordKind kind, byte[] from, byte[]? to, int limit,
            CancellationToken cancellationToken = default)
        {
            if (limit <= 0) return [];
            await using var command = new NpgsqlCommand(to is null ? ReadForwardSql : ReadForwardToSql, connection, transaction);
            return await PostgresPartitionStore.ReadRangeAsync(command, space, kind, from, to, limit, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    public async Task<IReadOnlyList<StoreSpace>> ListSpacesAsync(CancellationToken cancellationToken = default)
    {
        var spaces = new List<StoreSpace>();
        try
        {
            await using var command = dataSource.CreateCommand(ListSpacesSql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) spaces.Add(StoreSpace.Parse(reader.GetString(0)));
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, "list the spaces");
        }
        return spaces;
    }

    public async Task DeleteSpaceAsync(StoreSpace space, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(SpaceCommand(DeleteEpochsSql, space));
            batch.BatchCommands.Add(SpaceCommand(DeleteRecordsSql, space));
            batch.BatchCommands.Add(SpaceCommand(DeleteMapSql, space));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (PostgresErrors.IsDatabaseError(e))
        {
            throw PostgresErrors.Translate(e, $"delete {space}");
        }
    }

    private static NpgsqlParameter<string> SpaceParameter(StoreSpace space) => new("space", space.Name);

    private static NpgsqlBatchCommand SpaceCommand(string sql, StoreSpace space)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(SpaceParameter(space));
        return command;
    }

    private static NpgsqlBatchCommand EpochCommand(string sql, StoreSpace space, int partitionId)
    {
        var command = SpaceCommand(sql, space);
        command.Parameters.Add(new NpgsqlParameter<int>("partition", partitionId));
        return command;
    }

    private static void AddRecordMatch(NpgsqlParameterCollection parameters, StoreSpace space, RecordKind kind)
    {
        parameters.Add(SpaceParameter(space));
        parameters.Add(new NpgsqlParameter<short>("kind", (short)kind));
    }

    internal static NpgsqlParameter KindsParameter(string name, List<short> kinds) =>
        new NpgsqlParameter<List<short>>(name, NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = kinds };

    internal static NpgsqlParameter BytesParameter(string name, List<byte[]> bytes) =>
        new NpgsqlParameter<List<byte[]>>(name, NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = bytes };

    /// <summary>Equality of (kind, key) by the key's bytes.</summary>
    private sealed class RecordAddressComparer : IEqualityComparer<(RecordKind Kind, byte[] Key)>
    {
        public static readonly RecordAddressComparer Instance = new();

        public bool Equals((RecordKind Kind, byte[] Key) x, (RecordKind Kind, byte[] Key) y) =>
            x.Kind == y.Kind && x.Key.AsSpan().SequenceEqual(y.Key);

        public int GetHashCode((RecordKind Kind, byte[] Key) address) =>
            HashCode.Combine(address.Kind, ByteArrayComparer.Instance.GetHashCode(address.Key));
    }
}
