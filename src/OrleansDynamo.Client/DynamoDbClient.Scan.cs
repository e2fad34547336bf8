using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

public sealed partial class DynamoDbClient
{
    /// <summary>
    /// Walks the partitions of the scanned hash range (the whole table, or one segment of a parallel
    /// scan) in hash order, until the page is full (Limit, 1 MB) or the range ends.
    /// </summary>
    public async Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default)
    {
        ScanValidator.Validate(request);
        var table = await _router.GetTableAsync(request.TableName!, request.IndexName);
        var index = ScanValidator.ValidateFor(request, table);
        // A global index is walked over its own partitions, in the hash order of its partition key.
        Func<ulong, ScanPageRequest, Task<ScanPage>> scanAt = index is { IsGlobal: true }
            ? (position, page) => _router.CallIndexAsync(table.TableName, index.Name, position, (p, _) => p.Scan(page))
            : (position, page) => _router.CallAsync(table.TableName, position, (p, _) => p.Scan(page));

        var (segmentStart, segmentEnd) = SegmentRange(request.Segment ?? 0, request.TotalSegments ?? 1);
        var startKey = request.ExclusiveStartKey;
        var position = startKey is null ? segmentStart
            : KeyBytes.PartitionHash(index is { IsGlobal: true } ? IndexRules.HashValueOf(index, startKey) : startKey[table.Schema.HashKey.Name]);
        if (request.TotalSegments > 1 && (position < segmentStart || position > segmentEnd))
            throw DynamoErrors.StartKeyOutsideSegment(request.TotalSegments, request.Segment);
        var limit = request.Limit ?? int.MaxValue;
        var items = new List<Item>();
        int count = 0, scanned = 0, bytes = 0;
        while (true)
        {
            var pageRequest = new ScanPageRequest
            {
                Request = request with { ExclusiveStartKey = startKey },
                HashStart = position,
                HashEnd = segmentEnd,
                Limit = limit - scanned,
                ByteBudget = 1024 * 1024 - bytes,
            };
            var page = await scanAt(position, pageRequest);
            items.AddRange(page.Items);
            count += page.MatchedCount;
            scanned += page.ScannedCount;
            bytes += page.BytesRead;
            // The partition says how far it read: after a split it may own less than the cached map thinks.
            if (page.LastEvaluatedKey is not null || page.RangeEnd >= segmentEnd)
                return new ScanResponse
                {
                    Items = request.Select == SelectRules.Count ? null : items,
                    Count = count,
                    ScannedCount = scanned,
                    LastEvaluatedKey = page.LastEvaluatedKey,
                    // All items read, before the filter, rounded up to 4 KB once for the whole page.
                    ConsumedCapacity = CapacityUnits.Report(request.ReturnConsumedCapacity, table.TableName,
                        CapacityUnits.Read(bytes, request.ConsistentRead ?? false), isWrite: false),
                };
            position = page.RangeEnd + 1;
            startKey = null;
        }
    }

    /// <summary>Segment <paramref name="segment"/> of <paramref name="totalSegments"/> equal slices of the hash space.</summary>
    internal static (ulong Start, ulong End) SegmentRange(int segment, int totalSegments)
    {
        var width = ulong.MaxValue / (ulong)totalSegments;
        var start = (ulong)segment * width;
        var end = segment == totalSegments - 1 ? ulong.MaxValue : start + width - 1;
        return (start, end);
    }
}
