using OrleansDynamo.Grains;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
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
        var table = await _router.GetTableAsync(request.TableName!);
        ScanValidator.ValidateFor(request, table.Schema);

        var (segmentStart, segmentEnd) = SegmentRange(request.Segment ?? 0, request.TotalSegments ?? 1);
        var startKey = request.ExclusiveStartKey;
        var position = startKey is null ? segmentStart : KeyBytes.PartitionHash(startKey[table.Schema.HashKey.Name]);
        var limit = request.Limit ?? int.MaxValue;
        var items = new List<Item>();
        int count = 0, scanned = 0, bytes = 0;
        while (true)
        {
            var pageRequest = new ScanPageRequest
            {
                Request = request with { ExclusiveStartKey = startKey },
                HashStart = segmentStart,
                HashEnd = segmentEnd,
                Limit = limit - scanned,
                ByteBudget = 1024 * 1024 - bytes,
            };
            var (page, range) = await _router.CallAsync(table.TableName, position,
                async (p, r) => (await p.Scan(pageRequest), r));
            items.AddRange(page.Items);
            count += page.MatchedCount;
            scanned += page.ScannedCount;
            bytes += page.BytesRead;
            if (page.LastEvaluatedKey is not null || range.End >= segmentEnd)
                return new ScanResponse
                {
                    Items = request.Select == SelectRules.Count ? null : items,
                    Count = count,
                    ScannedCount = scanned,
                    LastEvaluatedKey = page.LastEvaluatedKey,
                };
            position = range.End + 1;
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
