using System.Globalization;

namespace OrleansDynamo.Streams;

/// <summary>
/// The names DynamoDB Streams hands out, in DynamoDB's formats: stream labels (the creation time,
/// <c>2026-12-01T21:12:47.123</c>), stream ARNs (<c>&lt;table ARN&gt;/stream/&lt;label&gt;</c>), shard ids
/// (<c>shardId-&lt;20 digits&gt;-&lt;16 hex digits&gt;</c>, the hex digits being the shard's number) and sequence
/// numbers (21 decimal digits).
/// </summary>
public static class StreamNames
{
    private const string StreamPart = "/stream/";
    private const string ShardPrefix = "shardId-";

    public static string Label(DateTimeOffset createdAt) => createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string StreamArn(string tableArn, string label) => tableArn + StreamPart + label;

    /// <summary>The table name and label in a stream ARN of this server's form; false for anything else.</summary>
    public static bool TryParseStreamArn(string arn, out string tableName, out string label)
    {
        tableName = label = "";
        var stream = arn.LastIndexOf(StreamPart, StringComparison.Ordinal);
        var table = arn.LastIndexOf(":table/", stream < 0 ? 0 : stream, StringComparison.Ordinal);
        if (stream < 0 || table < 0 || !arn.StartsWith("arn:", StringComparison.Ordinal)) return false;
        tableName = arn[(table + 7)..stream];
        label = arn[(stream + StreamPart.Length)..];
        return tableName.Length > 0 && label.Length > 0;
    }

    public static string ShardId(long shardNumber, long createdMicros) =>
        ShardPrefix + (createdMicros / 1000).ToString("D20", CultureInfo.InvariantCulture) + "-" + shardNumber.ToString("x16", CultureInfo.InvariantCulture);

    public static bool TryParseShardId(string shardId, out long shardNumber)
    {
        shardNumber = 0;
        var dash = shardId.LastIndexOf('-');
        return shardId.StartsWith(ShardPrefix, StringComparison.Ordinal) && dash > ShardPrefix.Length
            && shardId.Length - dash - 1 == 16
            && long.TryParse(shardId.AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out shardNumber);
    }

    public static string SequenceNumber(long sequence) => sequence.ToString("D21", CultureInfo.InvariantCulture);

    /// <summary>A sequence number as a number; false when it is not one this server could have made.</summary>
    public static bool TryParseSequenceNumber(string? text, out long sequence)
    {
        sequence = 0;
        return text is not null && text.All(char.IsAsciiDigit)
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>An event id (32 hex digits, unique in the stream): the shard number and the sequence number.</summary>
    public static string EventId(long shardNumber, long sequence) =>
        shardNumber.ToString("x16", CultureInfo.InvariantCulture) + sequence.ToString("x16", CultureInfo.InvariantCulture);
}
