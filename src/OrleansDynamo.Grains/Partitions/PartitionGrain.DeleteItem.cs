using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<DeleteItemResponse> DeleteItem(DeleteItemRequest request)
    {
        var key = Admit(request.Key!, read: false);
        ItemKey[] keys = [key];
        while (!Ready(keys)) await PrepareAsync(keys);
        var existing = Newest(key, out var inFlight);
        var expressions = RequestExpressions.For(request, validated: true);
        if (!expressions.EvaluateCondition(existing))
            await ConditionFailedAsync(existing, inFlight, request.ReturnValuesOnConditionCheckFailure);

        // Deleting nothing writes nothing, but its answer depends on the write that made it nothing.
        if (existing is not null) await CommitAsync(key, existing, null);
        else
        {
            _capacity.ChargeWrite(null, null);
            await AfterInFlightAsync(inFlight);
        }
        return new DeleteItemResponse
        {
            ItemCollectionMetrics = existing is null ? null : _local.Metrics(request.ReturnItemCollectionMetrics, key),
            Attributes = Wants(request.ReturnValues, ReturnValuesRules.AllOld) ? existing : null,
            ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, TableName,
                CapacityUnits.Write(existing?.SizeInBytes ?? 0), isWrite: true),
        };
    }
}
