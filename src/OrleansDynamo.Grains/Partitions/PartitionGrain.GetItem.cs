using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<GetItemResponse> GetItem(GetItemRequest request)
    {
        var item = await _items.ReadAsync(Admit(request.Key!, read: true));
        var units = CapacityUnits.Read(item?.SizeInBytes ?? 0, request.ConsistentRead ?? false);
        _capacity.ChargeRead(units);
        var capacity = CapacityUnits.Report(request.ReturnConsumedCapacity, TableName, units, isWrite: false);
        if (item is null) return new GetItemResponse { ConsumedCapacity = capacity };
        var expressions = RequestExpressions.For(request, validated: true);
        return new GetItemResponse { Item = expressions.Project(item), ConsumedCapacity = capacity };
    }
}
