using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Streams;

/// <summary>
/// DescribeStream, GetShardIterator and GetRecords, read from the store (see <c>ChangeLog</c> for how partitions
/// write shards and records). Records past the retention are never returned, deleted or not yet: a reader
/// standing before the retention's horizon, where records were, gets TrimmedDataAccessException.
/// </summary>
[StatelessWorker]
internal sealed class StreamReaderGrain(IPartitionStore store, OrleansDynamoClock clock, IOptions<OrleansDynamoOptions> options)
    : Grain, IStreamReaderGrain
{
    /// <summary>GetRecords answers at most 1 MB.</summary>
    private const int MaxResponseBytes = 1 << 20;

    private long Horizon => clock.UnixMicroseconds - options.Value.StreamRetention.Ticks / 10;

    public async Task<StreamDescription> Describe(TableStream stream, int limit, string? exclusiveStartShardId)
    {
        var horizon = Horizon;
        var all = await ShardsAsync(stream);
        var ids = all.ToDictionary(s => s.Number, s => s.ShardId);
        // ShardIds start with the creation time, so their order puts every parent before its children.
        var live = all.Where(s => s.EndSequence is null || s.EndSequence >= horizon).OrderBy(s => s.ShardId, StringComparer.Ordinal)
            .Where(s => exclusiveStartShardId is null || string.CompareOrdinal(s.ShardId, exclusiveStartShardId) > 0).ToList();
        var page = live.Take(limit).ToList();
        return new StreamDescription
        {
            StreamArn = StreamNames.StreamArn(stream.TableArn, stream.Label),
            StreamLabel = stream.Label,
            StreamStatus = stream.Enabled ? "ENABLED" : "DISABLED",
            StreamViewType = stream.ViewType,
            CreationRequestDateTime = stream.CreatedAt,
            TableName = stream.TableName,
            KeySchema = stream.KeySchema,
            Shards = page.Select(s => new Shard
            {
                ShardId = s.ShardId,
                ParentShardId = s.Parent is { } parent ? ids.GetValueOrDefault(parent) : null,
                SequenceNumberRange = new SequenceNumberRange
                {
                    StartingSequenceNumber = StreamNames.SequenceNumber(s.StartSequence),
                    EndingSequenceNumber = s.EndSequence is { } end ? StreamNames.SequenceNumber(end) : null,
                },
            }).ToList(),
            LastEvaluatedShardId = live.Count > limit ? page[^1].ShardId : null,
        };
    }

    public async Task<string> GetShardIterator(TableStream stream, GetShardIteratorRequest request)
    {
        var shard = await FindShardAsync(stream, request.ShardId!) ?? throw DynamoErrors.ShardNotFound();
        var horizon = Horizon;
        long position;
        switch (request.ShardIteratorType)
        {
            case GetShardIteratorValidator.TrimHorizon:
                position = Math.Max(Math.Max(shard.StartSequence, shard.TrimmedThrough + 1), horizon);
                break;
            case GetShardIteratorValidator.Latest:
                if (shard.EndSequence is { } end) position = end + 1;
                else
                {
                    var last = await store.ReadRangeAsync(SpaceOf(stream), RecordKind.StreamRecord,
                        StoreKeys.Shard(shard.Number, 0), StoreKeys.Shard(shard.Number + 1), forward: false, 1);
                    position = last.Count == 0 ? shard.StartSequence : StoreKeys.SequenceOf(last[0].Key) + 1;
                }
                break;
            default:
                if (!StreamNames.TryParseSequenceNumber(request.SequenceNumber, out var sequence)
                    || sequence < shard.StartSequence || sequence > shard.EndSequence)
                    throw DynamoErrors.SequenceNumberOutOfRange(request.SequenceNumber!, request.ShardId!);
                if (sequence <= shard.TrimmedThrough || sequence < horizon) throw DynamoErrors.TrimmedDataAccess();
                position = request.ShardIteratorType == GetShardIteratorValidator.AtSequenceNumber ? sequence : sequence + 1;
                break;
        }
        return new ShardIterator(stream.TableName, stream.Incarnation, stream.Label, shard.Number, position, clock.UnixMicroseconds).ToString();
    }

    public async Task<GetRecordsResponse> GetRecords(string shardIterator, int limit)
    {
        var iterator = ShardIterator.Parse(shardIterator);
        if (clock.UnixMicroseconds - iterator.IssuedMicros > options.Value.ShardIteratorLifetime.Ticks / 10) throw DynamoErrors.ExpiredIterator();
        // The iterator names the table incarnation's space and the stream: the shard record is all a read needs, no table call.
        var space = new StoreSpace(iterator.TableName, iterator.Incarnation);
        var horizon = Horizon;
        var shard = await ReadShardAsync(space, iterator.Shard);
        if (shard is null || shard.Label != iterator.Label)
            throw iterator.Position < horizon ? DynamoErrors.TrimmedDataAccess() : DynamoErrors.ShardNotFound();
        if (iterator.Position <= shard.TrimmedThrough) throw DynamoErrors.TrimmedDataAccess();
        if (iterator.Position < horizon)
        {
            // Records the retention has taken, but not yet deleted, are gone all the same.
            var aged = await store.ReadRangeAsync(space, RecordKind.StreamRecord, StoreKeys.Shard(shard.Number, iterator.Position),
                StoreKeys.Shard(shard.Number, horizon), forward: true, 1);
            if (aged.Count > 0) throw DynamoErrors.TrimmedDataAccess();
        }

        var end = shard.EndSequence is { } last ? StoreKeys.Shard(shard.Number, last + 1) : StoreKeys.Shard(shard.Number + 1);
        var stored = await store.ReadRangeAsync(space, RecordKind.StreamRecord,
            StoreKeys.Shard(shard.Number, Math.Max(iterator.Position, horizon)), end, forward: true, limit);
        var records = new List<ChangeRecord>(stored.Count);
        var bytes = 0;
        var position = iterator.Position;
        foreach (var record in stored)
        {
            if (records.Count > 0 && bytes + record.Value.Length > MaxResponseBytes) break;
            bytes += record.Value.Length;
            var sequence = StoreKeys.SequenceOf(record.Key);
            records.Add(ChangeRecords.Decode(shard.Number, sequence, record.Value, options.Value.Region));
            position = sequence + 1;
        }
        // A closed shard read to its end has no next iterator; an open one always has.
        var exhausted = shard.EndSequence is not null && records.Count == stored.Count && stored.Count < limit;
        // Sequence numbers are the records' write times in microseconds.
        OrleansDynamoTelemetry.StreamRead(iterator.TableName, records.Count > 0 ? position - 1 : null, clock.UnixMicroseconds);
        return new GetRecordsResponse
        {
            Records = records,
            NextShardIterator = exhausted ? null : (iterator with { Position = position, IssuedMicros = clock.UnixMicroseconds }).ToString(),
        };
    }

    private static StoreSpace SpaceOf(TableStream stream) => new(stream.TableName, stream.Incarnation);

    private async Task<List<ShardInfo>> ShardsAsync(TableStream stream) =>
        (await store.ReadRangeAsync(SpaceOf(stream), RecordKind.StreamShard, [], null, forward: true, int.MaxValue))
        .Select(ShardInfo.Decode).Where(s => s.Label == stream.Label).ToList();

    private async Task<ShardInfo?> FindShardAsync(TableStream stream, string shardId)
    {
        if (!StreamNames.TryParseShardId(shardId, out var number)) return null;
        var shard = await ReadShardAsync(SpaceOf(stream), number);
        return shard is not null && shard.Label == stream.Label && shard.ShardId == shardId
            && (shard.EndSequence is null || shard.EndSequence >= Horizon) ? shard : null;
    }

    private async Task<ShardInfo?> ReadShardAsync(StoreSpace space, long number) =>
        await store.GetAsync(space, RecordKind.StreamShard, StoreKeys.Shard(number)) is { } value
            ? ShardInfo.Decode(new StoreRecord(StoreKeys.Shard(number), value))
            : null;
}
