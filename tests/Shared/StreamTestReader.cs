using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
namespace OrleansDynamo.Tests;

/// <summary>Reads a whole stream through the AWS SDK's DynamoDB Streams client, parents before children, as a consumer would.</summary>
public static class StreamTestReader
{
    public static async Task<string> StreamArnOf(IAmazonDynamoDB client, string table) =>
        (await client.DescribeTableAsync(table)).Table.LatestStreamArn;

    public static async Task<List<JsonNode>> ShardsAsync(StreamsSdk streams, string streamArn)
    {
        var shards = new List<JsonNode>();
        string? start = null;
        do
        {
            var page = (await streams.DescribeStreamAsync(new { StreamArn = streamArn, ExclusiveStartShardId = start }))["StreamDescription"]!;
            shards.AddRange(page["Shards"]!.AsArray().Select(s => s!));
            start = page["LastEvaluatedShardId"]?.GetValue<string>();
        } while (start is not null);
        return shards;
    }

    public static string Id(JsonNode shard) => shard["ShardId"]!.GetValue<string>();

    public static string? ParentId(JsonNode shard) => shard["ParentShardId"]?.GetValue<string>();

    /// <summary>Every record of every shard from TRIM_HORIZON to where the shard ends or has nothing more, shard after shard in lineage order.</summary>
    public static async Task<List<JsonNode>> ReadAllAsync(StreamsSdk streams, string streamArn)
    {
        var shards = await ShardsAsync(streams, streamArn);
        var records = new List<JsonNode>();
        var done = new HashSet<string>();
        while (done.Count < shards.Count)
        {
            foreach (var shard in shards.Where(s => !done.Contains(Id(s))
                         && (ParentId(s) is not { } parent || done.Contains(parent) || shards.All(p => Id(p) != parent))).ToList())
            {
                records.AddRange(await ReadShardAsync(streams, streamArn, Id(shard)));
                done.Add(Id(shard));
            }
        }
        return records;
    }

    public static async Task<string> IteratorAsync(StreamsSdk streams, string streamArn, string shardId, string type = "TRIM_HORIZON",
        string? sequenceNumber = null) =>
        (await streams.GetShardIteratorAsync(new { StreamArn = streamArn, ShardId = shardId, ShardIteratorType = type, SequenceNumber = sequenceNumber }))
            ["ShardIterator"]!.GetValue<string>();

    public static async Task<List<JsonNode>> ReadShardAsync(StreamsSdk streams, string streamArn, string shardId, string type = "TRIM_HORIZON",
        string? sequenceNumber = null)
    {
        string? iterator = await IteratorAsync(streams, streamArn, shardId, type, sequenceNumber);
        var records = new List<JsonNode>();
        while (iterator is not null)
        {
            var page = await streams.GetRecordsAsync(new { ShardIterator = iterator });
            var batch = page["Records"]!.AsArray();
            records.AddRange(batch.Select(r => r!));
            if (batch.Count == 0) break;
            iterator = page["NextShardIterator"]?.GetValue<string>();
        }
        return records;
    }

    /// <summary>The one shard that has records (tests that write one partition key).</summary>
    public static async Task<string> ShardWithRecordsAsync(StreamsSdk streams, string streamArn)
    {
        foreach (var shard in await ShardsAsync(streams, streamArn))
            if ((await ReadShardAsync(streams, streamArn, Id(shard))).Count > 0) return Id(shard);
        throw new InvalidOperationException("No shard has records");
    }

    public static string Text(JsonNode? node) => node!.GetValue<string>();
    public static string EventName(JsonNode record) => Text(record["eventName"]);
    public static string KeyS(JsonNode record, string name = "pk") => Text(record["dynamodb"]!["Keys"]![name]!["S"]);
    public static string KeyN(JsonNode record, string name = "sk") => Text(record["dynamodb"]!["Keys"]![name]!["N"]);
    public static string Sequence(JsonNode record) => Text(record["dynamodb"]!["SequenceNumber"]);
}
