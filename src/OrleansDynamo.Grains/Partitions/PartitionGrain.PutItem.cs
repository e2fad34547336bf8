using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<PutItemResponse> PutItem(PutItemRequest request)
    {
        await WritesOpenAsync();
        var key = Locate(request.Item!);
        var existing = Newest(key);
        var expressions = RequestExpressions.For(request, validated: true);
        CheckCondition(expressions, existing, request.ReturnValuesOnConditionCheckFailure);

        CheckIndexedWrite(key, existing, request.Item);
        await CommitAsync(key, request.Item);
        return new PutItemResponse
        {
            ItemCollectionMetrics = CollectionMetrics(request.ReturnItemCollectionMetrics, key),
            Attributes = Wants(request.ReturnValues, ReturnValuesRules.AllOld) ? existing : null,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, _table!.TableName,
                CapacityUnits.Write(Math.Max(existing?.SizeInBytes ?? 0, request.Item!.SizeInBytes)), isWrite: true),
        };
    }
}
