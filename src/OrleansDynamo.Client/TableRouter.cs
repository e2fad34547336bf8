using System.Collections.Concurrent;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>
/// Finds the partition grain that owns a key. Caches each table's schema and partition map; when a
/// partition answers that the route is stale (split, deleted, re-created table) it refreshes and retries.
/// </summary>
public sealed class TableRouter(IGrainFactory grains)
{
    private const int MaxAttempts = 5;
    private readonly ConcurrentDictionary<string, TableInfo> _tables = new(StringComparer.Ordinal);
    // Dropped with the routing info they were made for.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<TableInfo, ConcurrentDictionary<int, IPartitionGrain>> _partitions = new();

    /// <summary>The table's routing info; ResourceNotFoundException (data-plane wording) when there is no table.</summary>
    public async Task<TableInfo> GetTableAsync(string tableName)
    {
        tableName = TableArns.NameOf(tableName);
        if (_tables.TryGetValue(tableName, out var cached)) return cached;
        try
        {
            var info = await grains.GetGrain<ITableGrain>(tableName).GetInfo();
            return _tables[tableName] = info;
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
            throw DynamoErrors.ResourceNotFound();
        }
    }

    /// <summary>The table's routing info, refreshed once when it does not know <paramref name="indexName"/> (an index added since).</summary>
    public async Task<TableInfo> GetTableAsync(string tableName, string? indexName)
    {
        var table = await GetTableAsync(tableName);
        if (indexName is null || table.FindIndex(indexName) is not null) return table;
        Invalidate(table);
        return await GetTableAsync(tableName);
    }

    public void Forget(string tableName) => _tables.TryRemove(TableArns.NameOf(tableName), out _);

    /// <summary>Calls the partition of a global secondary index that owns <paramref name="hash"/>, refreshing the map when it moved.</summary>
    public Task<T> CallIndexAsync<T>(string tableName, string indexName, ulong hash, Func<IIndexPartitionGrain, PartitionRange, Task<T>> call) =>
        WithFreshMapAsync(tableName, table =>
        {
            var index = table.FindIndex(indexName) ?? throw DynamoErrors.IndexNotFound(indexName);
            var range = index.Map!.Find(hash);
            return call(grains.GetGrain<IIndexPartitionGrain>(
                IndexPartitionKey.Format(table.TableName, table.Incarnation, index.IndexId, range.PartitionId)), range);
        });

    /// <summary>
    /// Sends each partition its share of <paramref name="entries"/> in one call, all partitions in parallel.
    /// A share that meets a stale map (a split) is regrouped on the refreshed map and sent again.
    /// </summary>
    public async Task<List<(IReadOnlyList<T> Entries, TResult Result)>> CallByPartitionAsync<T, TResult>(
        string tableName, IReadOnlyList<T> entries, Func<TableInfo, T, ulong> hashOf,
        Func<IPartitionGrain, IReadOnlyList<T>, Task<TResult>> call, int attempt = 1, TableInfo? validated = null)
    {
        var table = await GetTableAsync(tableName);
        EnsureSameSchema(validated ??= table, table);
        var shares = await Task.WhenAll(entries.GroupBy(e => table.Map.Find(hashOf(table, e))).Select(async share =>
        {
            IReadOnlyList<T> owned = share.ToList();
            try
            {
                return [(owned, await call(Partition(table, share.Key), owned))];
            }
            catch (Exception e) when (IsStaleRoute(e) && attempt < MaxAttempts)
            {
                Invalidate(table);
                return await CallByPartitionAsync(tableName, owned, hashOf, call, attempt + 1, validated);
            }
        }));
        return shares.SelectMany(s => s).ToList();
    }

    /// <summary>
    /// The partition's grain reference, made once per routing info: Orleans 10.4 resolves the interface type by
    /// reflection on every GetGrain, which cost more than the rest of routing a request.
    /// </summary>
    private IPartitionGrain Partition(TableInfo table, PartitionRange range) =>
        _partitions.GetValue(table, _ => new ConcurrentDictionary<int, IPartitionGrain>())
            .GetOrAdd(range.PartitionId, static (id, state) => state.grains.GetGrain<IPartitionGrain>(PartitionKey.Format(state.table.TableName, state.table.Incarnation, id)),
                (grains, table));

    /// <summary>The grain key of the partition that owns <paramref name="hash"/> on the cached map.</summary>
    public static string PartitionKeyOf(TableInfo table, ulong hash) =>
        PartitionKey.Format(table.TableName, table.Incarnation, table.Map.Find(hash).PartitionId);

    /// <summary>Calls the partition that owns <paramref name="hash"/>, refreshing the map when it moved.</summary>
    public Task<T> CallAsync<T>(string tableName, ulong hash, Func<IPartitionGrain, PartitionRange, Task<T>> call) =>
        WithFreshMapAsync(tableName, table =>
        {
            var range = table.Map.Find(hash);
            return call(Partition(table, range), range);
        });

    /// <summary>The same, for a call without a result.</summary>
    public Task CallAsync(string tableName, ulong hash, Func<IPartitionGrain, Task> call) =>
        CallAsync(tableName, hash, async (partition, _) =>
        {
            await call(partition);
            return true;
        });

    /// <summary>Makes a call with the cached routing info; when the route is stale, forgets that info and tries again.</summary>
    private async Task<T> WithFreshMapAsync<T>(string tableName, Func<TableInfo, Task<T>> call)
    {
        TableInfo? validated = null;
        for (var attempt = 1; ; attempt++)
        {
            var table = await GetTableAsync(tableName);
            EnsureSameSchema(validated ??= table, table);
            try
            {
                return await call(table);
            }
            catch (Exception e) when (IsStaleRoute(e) && attempt < MaxAttempts)
            {
                Invalidate(table);
            }
        }
    }

    /// <summary>
    /// A partition that is not (or no longer) part of its table says so; a message to an activation that is deactivating
    /// (a split's parent, a range not yet in the map) may instead be rejected by Orleans unprocessed. Either way nothing
    /// ran: route again.
    /// A silo that became unavailable is not such a rejection: it may have run the call before it died, and running a
    /// conditional write again could fail a condition the first run made true. That outcome is unknown, so it goes
    /// back to the caller as InternalServerError, as DynamoDB answers one.
    /// </summary>
    public static bool IsStaleRoute(Exception error) =>
        error is StaleRouteException
        || error is Orleans.Runtime.OrleansMessageRejectionException and not Orleans.Runtime.SiloUnavailableException;

    /// <summary>
    /// The request was validated against the routing info of its first attempt. A table deleted and created again since
    /// may have other keys or indexes: then the request, checked against a table that is gone, fails as one for a missing
    /// table (the next one is checked against the new table); with the same keys and indexes it goes on.
    /// </summary>
    private static void EnsureSameSchema(TableInfo validated, TableInfo current)
    {
        if (validated.Incarnation == current.Incarnation) return;
        if (validated.Schema != current.Schema || !Shape(validated).SequenceEqual(Shape(current))) throw DynamoErrors.ResourceNotFound();
    }

    private static IEnumerable<(string, bool, TableSchema, string, string)> Shape(TableInfo table) =>
        table.SecondaryIndexes.Select(i => (i.Name, i.IsGlobal, i.KeySchema, i.ProjectionType, string.Join(',', i.NonKeyAttributes)));

    /// <summary>Drops cached routing info, unless a newer one has already replaced it.</summary>
    private void Invalidate(TableInfo table) => _tables.TryRemove(KeyValuePair.Create(table.TableName, table));
}
