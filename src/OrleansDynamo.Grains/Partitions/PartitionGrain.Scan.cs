using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public Task<ScanPage> Scan(ScanPageRequest pageRequest)
    {
        EnsureServing();
        var request = pageRequest.Request;
        var expressions = RequestExpressions.Bind(null, null, request.ProjectionExpression, request.FilterExpression, null,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues);

        var from = ItemKey.BeforeHash(Math.Max(pageRequest.HashStart, _range!.Start));
        var to = ItemKey.AfterHash(Math.Min(pageRequest.HashEnd, _range.End));
        var source = _items.Range(from, to);
        if (request.ExclusiveStartKey is { } start)
        {
            var startKey = ItemKey.Of(start, Schema);
            if (ItemKeyComparer.Instance.Compare(startKey, from) >= 0)
                source = _items.Range(startKey, to).Where(e => !e.Key.Equals(startKey));
        }

        var page = PageReader.Read(source, expressions, Schema, pageRequest.Limit, pageRequest.ByteBudget,
            PageReader.IsCountOnly(request.Select));
        return Task.FromResult(new ScanPage
        {
            Items = page.Items,
            MatchedCount = page.Count,
            ScannedCount = page.ScannedCount,
            BytesRead = page.BytesRead,
            LastEvaluatedKey = page.LastEvaluatedKey,
        });
    }
}
