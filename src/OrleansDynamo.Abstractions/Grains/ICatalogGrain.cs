using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>The list of tables, for ListTables. One per cluster (key 0).</summary>
[Alias("odyn.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task Add(string tableName);
    [Alias("Remove")] Task Remove(string tableName);
    [Alias("List")] Task<ListTablesResponse> List(string? exclusiveStartTableName, int limit);
}
