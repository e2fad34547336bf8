using System.Collections.Immutable;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.Changes;

/// <summary>
/// Where a reader of a table's changes stands: the stream, the last sequence number delivered per shard, and
/// the shards read to their end. Immutable, serializable (Orleans), so it can be stored as it is and handed
/// back to <see cref="TableChanges.ReadChangesAsync"/> to continue after the last change it saw.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.ChangeCheckpoint")]
public sealed record ChangeCheckpoint
{
    [Id(0)] public string StreamArn { get; init; } = "";
    [Id(1)] public ImmutableDictionary<string, string> Positions { get; init; } = ImmutableDictionary<string, string>.Empty;
    [Id(2)] public ImmutableHashSet<string> Finished { get; init; } = [];

    public ChangeCheckpoint After(string shardId, string sequenceNumber) => this with { Positions = Positions.SetItem(shardId, sequenceNumber) };

    public ChangeCheckpoint Ended(string shardId) => this with { Finished = Finished.Add(shardId), Positions = Positions.Remove(shardId) };
}

/// <summary>One change of a table, with the checkpoint that continues after it.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableChange")]
public sealed record TableChange([property: Id(0)] ChangeRecord Record, [property: Id(1)] string ShardId, [property: Id(2)] ChangeCheckpoint Checkpoint);
