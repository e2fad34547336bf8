using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<DeleteItemResponse> DeleteItem(DeleteItemRequest request)
    {
        await WritesOpenAsync();
        var key = Locate(request.Key!);
        var existing = Newest(key);
        var expressions = RequestExpressions.For(request, validated: true);
        CheckCondition(expressions, existing, request.ReturnValuesOnConditionCheckFailure);

        if (existing is not null) await CommitAsync(key, null);
        return new DeleteItemResponse
        {
            ItemCollectionMetrics = existing is null ? null : CollectionMetrics(request.ReturnItemCollectionMetrics, key),
            Attributes = Wants(request.ReturnValues, ReturnValuesRules.AllOld) ? existing : null,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, _table!.TableName,
                CapacityUnits.Write(existing?.SizeInBytes ?? 0), isWrite: true),
        };
    }
}
