using System.Collections.Concurrent;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;

namespace OrleansDynamo.Client;

/// <summary>
/// Finds the partition grain that owns a key. Caches each table's schema and partition map; when a
/// partition answers that the route is stale (split, deleted, re-created table) it refreshes and retries.
/// </summary>
public sealed class TableRouter(IGrainFactory grains)
{
    private const int MaxAttempts = 5;
    private readonly ConcurrentDictionary<string, TableInfo> _tables = new(StringComparer.Ordinal);

    /// <summary>The table's routing info; ResourceNotFoundException (data-plane wording) when there is no table.</summary>
    public async Task<TableInfo> GetTableAsync(string tableName)
    {
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

    public void Forget(string tableName) => _tables.TryRemove(tableName, out _);

    /// <summary>Calls the partition that owns <paramref name="hash"/>, refreshing the map when it moved.</summary>
    public async Task<T> CallAsync<T>(string tableName, ulong hash, Func<IPartitionGrain, PartitionRange, Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            var table = await GetTableAsync(tableName);
            var range = table.Map.Find(hash);
            var partition = grains.GetGrain<IPartitionGrain>(PartitionKey.Format(table.TableName, table.Incarnation, range.PartitionId));
            try
            {
                return await call(partition, range);
            }
            catch (StaleRouteException) when (attempt < MaxAttempts)
            {
                _tables.TryRemove(KeyValuePair.Create(tableName, table));
            }
        }
    }
}
