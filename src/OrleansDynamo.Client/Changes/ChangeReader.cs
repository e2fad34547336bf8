using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.Changes;

/// <summary>
/// Reads one stream of a table over the DynamoDB Streams operations, in lineage order: a shard is read once its
/// parent has been read to its end (or is no longer listed), so every item's changes come in order, also across
/// splits. Each <see cref="ReadAsync"/> is one round over the shards that are ready; an empty round means
/// nothing new yet. Iterators that expire are taken again from the checkpoint.
/// </summary>
public sealed class ChangeReader(IDynamoDbStreams streams, ChangeCheckpoint checkpoint)
{
    private static readonly TimeSpan ShardListAge = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, string> _iterators = [];
    private List<Shard> _shards = [];
    private DateTime _listedAt = DateTime.MinValue;
    private bool _enabled = true;

    public ChangeCheckpoint Checkpoint { get; private set; } = checkpoint;

    /// <summary>True once the stream is disabled and every shard has been read to its end.</summary>
    public bool Ended { get; private set; }

    /// <summary>A reader of the table's latest stream, after <paramref name="from"/> when it is of that stream.</summary>
    public static async Task<ChangeReader> OpenAsync(IDynamoDb dynamoDb, string tableName, ChangeCheckpoint? from = null)
    {
        if (from is not null) return new ChangeReader(dynamoDb, from);
        var table = (await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = tableName })).Table!;
        var arn = table.LatestStreamArn ?? throw DynamoErrors.TableHasNoStream(tableName);
        return new ChangeReader(dynamoDb, new ChangeCheckpoint { StreamArn = arn });
    }

    /// <summary>Up to <paramref name="limit"/> changes per ready shard, in order per shard.</summary>
    public async Task<IReadOnlyList<TableChange>> ReadAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        var (enabled, shards) = await ShardsAsync(cancellationToken);
        var changes = new List<TableChange>();
        foreach (var shard in shards.Where(Ready).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await ReadShardAsync(shard.ShardId, limit);
            foreach (var record in page.Records)
            {
                Checkpoint = Checkpoint.After(shard.ShardId, record.Dynamodb.SequenceNumber);
                changes.Add(new TableChange(record, shard.ShardId, Checkpoint));
            }
            if (page.NextShardIterator is { } next) _iterators[shard.ShardId] = next;
            else
            {
                _iterators.Remove(shard.ShardId);
                Checkpoint = Checkpoint.Ended(shard.ShardId);
                if (changes.Count > 0) changes[^1] = changes[^1] with { Checkpoint = Checkpoint };
                _listedAt = DateTime.MinValue; // its children may be listed now
            }
        }
        Ended = !enabled && shards.All(s => Checkpoint.Finished.Contains(s.ShardId));
        return changes;
    }

    private bool Ready(Shard shard) =>
        !Checkpoint.Finished.Contains(shard.ShardId)
        && (shard.ParentShardId is not { } parent || Checkpoint.Finished.Contains(parent) || _shards.All(s => s.ShardId != parent));

    private async Task<GetRecordsResponse> ReadShardAsync(string shardId, int limit)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (!_iterators.TryGetValue(shardId, out var iterator)) _iterators[shardId] = iterator = await IteratorAsync(shardId);
            try
            {
                return await streams.GetRecordsAsync(new GetRecordsRequest { ShardIterator = iterator, Limit = limit });
            }
            catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ExpiredIterator && attempt == 0)
            {
                _iterators.Remove(shardId);
            }
        }
    }

    private async Task<string> IteratorAsync(string shardId)
    {
        var after = Checkpoint.Positions.GetValueOrDefault(shardId);
        return (await streams.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamArn = Checkpoint.StreamArn,
            ShardId = shardId,
            ShardIteratorType = after is null ? "TRIM_HORIZON" : "AFTER_SEQUENCE_NUMBER",
            SequenceNumber = after,
        })).ShardIterator!;
    }

    private async Task<(bool Enabled, List<Shard> Shards)> ShardsAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _listedAt < ShardListAge) return (_enabled, _shards);
        var shards = new List<Shard>();
        string? start = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = (await streams.DescribeStreamAsync(new DescribeStreamRequest { StreamArn = Checkpoint.StreamArn, ExclusiveStartShardId = start })).StreamDescription!;
            shards.AddRange(page.Shards);
            _enabled = page.StreamStatus == "ENABLED";
            start = page.LastEvaluatedShardId;
        } while (start is not null);
        _shards = shards;
        _listedAt = DateTime.UtcNow;
        return (_enabled, _shards);
    }
}
