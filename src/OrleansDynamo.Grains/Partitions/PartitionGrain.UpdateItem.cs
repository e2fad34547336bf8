using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<UpdateItemResponse> UpdateItem(UpdateItemRequest request)
    {
        var key = Admit(request.Key!, read: false);
        ItemKey[] keys = [key];
        while (!Ready(keys)) await PrepareAsync(keys);
        var existing = Newest(key, out var inFlight);
        var expressions = RequestExpressions.For(request, validated: true);
        if (!expressions.EvaluateCondition(existing))
            await ConditionFailedAsync(existing, inFlight, request.ReturnValuesOnConditionCheckFailure);

        var update = expressions.ApplyUpdate(existing, request.Key!, Schema.KeyAttributeNames);
        ItemRules.CheckSize(update.Item, updating: true);
        ItemRules.CheckNames(update.Item);
        CheckIndexedWrite(key, existing, update.Item);
        await CommitAsync(key, existing, update.Item);
        return new UpdateItemResponse
        {
            ItemCollectionMetrics = _local.Metrics(request.ReturnItemCollectionMetrics, key),
            Attributes = ReturnedAttributes(request.ReturnValues, existing, update),
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, TableName,
                CapacityUnits.Write(Math.Max(existing?.SizeInBytes ?? 0, update.Item.SizeInBytes)), isWrite: true),
        };
    }

    private static Item? ReturnedAttributes(string? returnValues, Item? existing, UpdateResult update)
    {
        var attributes = returnValues switch
        {
            ReturnValuesRules.AllOld => existing,
            ReturnValuesRules.AllNew => update.Item,
            ReturnValuesRules.UpdatedOld => update.SelectUpdated(existing),
            ReturnValuesRules.UpdatedNew => update.SelectUpdated(update.Item),
            _ => null,
        };
        return attributes is { Count: > 0 } ? attributes : null;
    }
}
