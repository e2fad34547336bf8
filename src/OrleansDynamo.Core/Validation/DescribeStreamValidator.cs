using OrleansDynamo.Errors;
using OrleansDynamo.Operations;
using OrleansDynamo.Streams;

namespace OrleansDynamo.Validation;

public static class DescribeStreamValidator
{
    public const int MaxLimit = 100;

    /// <summary>Checks the request; returns the stream's table name and label.</summary>
    public static (string TableName, string Label) Validate(DescribeStreamRequest request)
    {
        var violations = new Violations();
        StreamArn(violations, request.StreamArn);
        violations.Range(request.Limit, "limit", 1, MaxLimit);
        violations.Length(request.ExclusiveStartShardId, "exclusiveStartShardId", 28, 65);
        violations.ThrowIfAny();
        return ParseStreamArn(request.StreamArn!);
    }

    public static void StreamArn(Violations violations, string? streamArn)
    {
        violations.NotNull(streamArn, "streamArn");
        violations.Length(streamArn, "streamArn", 37, 1024);
    }

    public static (string TableName, string Label) ParseStreamArn(string streamArn) =>
        StreamNames.TryParseStreamArn(streamArn, out var tableName, out var label) ? (tableName, label) : throw DynamoErrors.InvalidStreamArn(streamArn);
}
