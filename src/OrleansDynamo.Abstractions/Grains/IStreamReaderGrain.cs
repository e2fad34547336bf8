using Orleans.Concurrency;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>
/// Reads a table's stream from the store for the DynamoDB Streams API: shards, iterators and records. A
/// stateless worker (key 0): records are durable once written, so reading them needs no partition.
/// </summary>
[Alias("odyn.IStreamReaderGrain")]
public interface IStreamReaderGrain : IGrainWithIntegerKey
{
    [Alias("Describe"), ReadOnly] Task<StreamDescription> Describe(TableStream stream, int limit, string? exclusiveStartShardId);
    [Alias("GetShardIterator"), ReadOnly] Task<string> GetShardIterator(TableStream stream, GetShardIteratorRequest request);
    [Alias("GetRecords"), ReadOnly] Task<GetRecordsResponse> GetRecords(string shardIterator, int limit);
}
