using OrleansDynamo.Expressions;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    /// <summary>One partition's part of a Scan page: one range read in hash order from where the scan stands.</summary>
    public async Task<ScanPage> Scan(ScanPageRequest pageRequest)
    {
        EnsureServing();
        if (!_scope.Owns(pageRequest.HashStart)) throw new StaleRouteException($"Partition {_scope} does not own the scan position");
        _capacity.ThrowIfThrottled(read: true);
        var request = pageRequest.Request;
        if (request.IndexName is not null) return await _local.ScanAsync(pageRequest, _items, _capacity);
        var expressions = RequestExpressions.For(request, validated: true);

        var rangeEnd = Math.Min(pageRequest.HashEnd, _scope.Range.End);
        var start = request.ExclusiveStartKey is { } startItem ? ItemKey.Of(startItem, Schema).Bytes : null;
        var (from, to) = KeyRanges.After(StoreKeys.HashStart(pageRequest.HashStart), StoreKeys.HashEnd(rangeEnd), start, forward: true);
        var source = _items.RangeAsync(PageReader.ReadRange(_scope, RecordKind.Item, from, to, true, pageRequest.Limit, pageRequest.ByteBudget));
        var page = await PageReader.ReadAsync(source, expressions, Schema.KeyOf, pageRequest.Limit, pageRequest.ByteBudget,
            PageReader.IsCountOnly(request.Select));
        return Partitions.IndexReads.ScanPageOf(page, rangeEnd, request, _capacity);
    }
}
