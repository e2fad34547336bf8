using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Grains;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public Task<ScanPage> Scan(ScanPageRequest pageRequest)
    {
        EnsureServing();
        if (!_range!.Contains(pageRequest.HashStart)) throw new StaleRouteException($"Partition {_address} does not own the scan position");
        var request = pageRequest.Request;
        if (request.IndexName is not null) return Task.FromResult(ScanLocalIndex(pageRequest));
        var expressions = RequestExpressions.For(request, validated: true);

        var rangeEnd = Math.Min(pageRequest.HashEnd, _range.End);
        var from = ItemKey.BeforeHash(pageRequest.HashStart);
        var to = ItemKey.AfterHash(rangeEnd);
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
            RangeEnd = rangeEnd,
        });
    }
}
