using OrleansDynamo.Hosting;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Tables;

[GenerateSerializer, Alias("odyn.CatalogState")]
public sealed class CatalogState
{
    [Id(0)] public List<string> TableNames { get; set; } = [];
}

/// <summary>The cluster's list of tables, kept sorted by name for ListTables paging.</summary>
public sealed class CatalogGrain(
    [PersistentState("catalog", OrleansDynamoOptions.MetadataStorageName)] IPersistentState<CatalogState> state)
    : Grain, Grains.ICatalogGrain
{
    private List<string> Names => state.State.TableNames;

    public async Task Add(string tableName)
    {
        var index = Names.BinarySearch(tableName, StringComparer.Ordinal);
        if (index >= 0) return;
        Names.Insert(~index, tableName);
        await state.WriteStateAsync();
    }

    public async Task Remove(string tableName)
    {
        var index = Names.BinarySearch(tableName, StringComparer.Ordinal);
        if (index < 0) return;
        Names.RemoveAt(index);
        await state.WriteStateAsync();
    }

    public Task<ListTablesResponse> List(string? exclusiveStartTableName, int limit)
    {
        var start = 0;
        if (exclusiveStartTableName is not null)
        {
            var index = Names.BinarySearch(exclusiveStartTableName, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }
        var page = Names.Skip(start).Take(limit).ToArray();
        var more = start + page.Length < Names.Count;
        return Task.FromResult(new ListTablesResponse
        {
            TableNames = page,
            LastEvaluatedTableName = more && page.Length > 0 ? page[^1] : null,
        });
    }
}
