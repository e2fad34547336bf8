using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<PutItemResponse> PutItem(PutItemRequest request)
    {
        var key = Admit(request.Item!, read: false);
        ItemKey[] keys = [key];
        while (!Ready(keys)) await PrepareAsync(keys);
        var existing = Newest(key, out var inFlight);
        var expressions = RequestExpressions.For(request, validated: true);
        if (!expressions.EvaluateCondition(existing))
            await ConditionFailedAsync(existing, inFlight, request.ReturnValuesOnConditionCheckFailure);

        CheckIndexedWrite(key, existing, request.Item);
        await CommitAsync(key, existing, request.Item);
        return new PutItemResponse
        {
            ItemCollectionMetrics = _local.Metrics(request.ReturnItemCollectionMetrics, key),
            Attributes = Wants(request.ReturnValues, ReturnValuesRules.AllOld) ? existing : null,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, TableName,
                CapacityUnits.Write(Math.Max(existing?.SizeInBytes ?? 0, request.Item!.SizeInBytes)), isWrite: true),
        };
    }
}
