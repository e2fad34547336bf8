using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<GetItemResponse> GetItem(GetItemRequest request)
    {
        var key = Admit(request.Key!, read: true);
        if (request.ConsistentRead == true && _items.PendingWrite(key) is { } pending) await AfterPendingAsync(key, pending);
        var item = await _items.ReadAsync(key);
        var units = CapacityUnits.Read(item?.SizeInBytes ?? 0, request.ConsistentRead ?? false);
        _capacity.ChargeRead(units);
        var capacity = CapacityUnits.Report(request.ReturnConsumedCapacity, TableName, units, isWrite: false);
        if (item is null) return new GetItemResponse { ConsumedCapacity = capacity };
        var expressions = RequestExpressions.For(request, validated: true);
        return new GetItemResponse { Item = expressions.Project(item), ConsumedCapacity = capacity };
    }

    /// <summary>
    /// A strongly consistent read that meets a write of its item in flight answers once that write has its outcome,
    /// as a read after it: a read-modify-write client then decides on the newest value rather than failing its
    /// condition on it. Only the one write it met: a key written without pause never starves its readers.
    /// </summary>
    private async Task AfterPendingAsync(ItemKey key, Task pending)
    {
        try
        {
            await pending;
        }
        catch (Exception)
        {
            // That write's failure is its own caller's answer; this read returns what is durable.
        }
        EnsureServing();
        Owned(key);
    }
}
