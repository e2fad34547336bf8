using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public Task<GetItemResponse> GetItem(GetItemRequest request)
    {
        var item = _items.Get(Locate(request.Key!));
        if (item is null) return Task.FromResult(new GetItemResponse());
        var expressions = RequestExpressions.Bind(null, null, request.ProjectionExpression, null, null, request.ExpressionAttributeNames, null);
        return Task.FromResult(new GetItemResponse { Item = expressions.Project(item) });
    }
}
