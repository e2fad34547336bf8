using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public Task<GetItemResponse> GetItem(GetItemRequest request)
    {
        var item = _items.Get(Locate(request.Key!));
        var capacity = CapacityUnits.Report(request.ReturnConsumedCapacity, _table!.TableName,
            CapacityUnits.Read(item?.SizeInBytes ?? 0, request.ConsistentRead ?? false), isWrite: false);
        if (item is null) return Task.FromResult(new GetItemResponse { ConsumedCapacity = capacity });
        var expressions = RequestExpressions.For(request, validated: true);
        return Task.FromResult(new GetItemResponse { Item = expressions.Project(item), ConsumedCapacity = capacity });
    }
}
