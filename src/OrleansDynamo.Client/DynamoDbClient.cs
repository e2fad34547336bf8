using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>
/// The one request path of OrleansDynamo: validate the request at the edge, find its table, validate it
/// against the schema, route it to the partition grain. Used by the HTTP endpoint in the silo and by
/// .NET clients over an Orleans client connection.
/// </summary>
public sealed partial class DynamoDbClient(IGrainFactory grains) : IDynamoDb
{
    private readonly TableRouter _router = new(grains);

    public async Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        PutItemValidator.Validate(request);
        var table = await _router.GetTableAsync(request.TableName!);
        PutItemValidator.ValidateFor(request, table.Schema);
        return await CallItemAsync(table, request.Item!, p => p.PutItem(request));
    }

    public async Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default)
    {
        GetItemValidator.Validate(request);
        var table = await _router.GetTableAsync(request.TableName!);
        GetItemValidator.ValidateFor(request, table.Schema);
        return await CallItemAsync(table, request.Key!, p => p.GetItem(request));
    }

    public async Task<DeleteItemResponse> DeleteItemAsync(DeleteItemRequest request, CancellationToken cancellationToken = default)
    {
        DeleteItemValidator.Validate(request);
        var table = await _router.GetTableAsync(request.TableName!);
        DeleteItemValidator.ValidateFor(request, table.Schema);
        return await CallItemAsync(table, request.Key!, p => p.DeleteItem(request));
    }

    public async Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default)
    {
        UpdateItemValidator.Validate(request);
        var table = await _router.GetTableAsync(request.TableName!);
        UpdateItemValidator.ValidateFor(request, table.Schema);
        return await CallItemAsync(table, request.Key!, p => p.UpdateItem(request));
    }

    public async Task<QueryResponse> QueryAsync(QueryRequest request, CancellationToken cancellationToken = default)
    {
        var expressions = QueryValidator.Validate(request);
        var table = await _router.GetTableAsync(request.TableName!, request.IndexName);
        var condition = QueryValidator.ValidateFor(request, expressions, table);
        var hash = KeyBytes.PartitionHash(condition.HashValue);
        // A global index is partitioned on its own; a local one lives in the table's partitions.
        if (request.IndexName is not null && table.FindIndex(request.IndexName)!.IsGlobal)
            return await _router.CallIndexAsync(table.TableName, request.IndexName, hash, (p, _) => p.Query(request));
        return await _router.CallAsync(table.TableName, hash, (p, _) => p.Query(request));
    }

    private Task<T> CallItemAsync<T>(TableInfo table, Item keyOrItem, Func<Grains.IPartitionGrain, Task<T>> call) =>
        _router.CallAsync(table.TableName, KeyBytes.PartitionHash(keyOrItem[table.Schema.HashKey.Name]), (p, _) => call(p));
}
