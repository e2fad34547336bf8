using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

public static class GetShardIteratorValidator
{
    public const string TrimHorizon = "TRIM_HORIZON";
    public const string Latest = "LATEST";
    public const string AtSequenceNumber = "AT_SEQUENCE_NUMBER";
    public const string AfterSequenceNumber = "AFTER_SEQUENCE_NUMBER";

    /// <summary>Checks the request; returns the stream's table name and label.</summary>
    public static (string TableName, string Label) Validate(GetShardIteratorRequest request)
    {
        var violations = new Violations();
        DescribeStreamValidator.StreamArn(violations, request.StreamArn);
        violations.NotNull(request.ShardId, "shardId");
        violations.Length(request.ShardId, "shardId", 28, 65);
        violations.NotNull(request.ShardIteratorType, "shardIteratorType");
        violations.Enum(request.ShardIteratorType, "shardIteratorType", TrimHorizon, Latest, AtSequenceNumber, AfterSequenceNumber);
        violations.Length(request.SequenceNumber, "sequenceNumber", 21, 40);
        violations.ThrowIfAny();
        var needsSequence = request.ShardIteratorType is AtSequenceNumber or AfterSequenceNumber;
        if (needsSequence != (request.SequenceNumber is not null))
            throw DynamoErrors.SequenceNumberMismatch(request.ShardIteratorType!, request.SequenceNumber is not null);
        if (request.SequenceNumber is { } sequence && !sequence.All(char.IsAsciiDigit))
            throw DynamoErrors.SequenceNumberNotDigits(sequence);
        return DescribeStreamValidator.ParseStreamArn(request.StreamArn!);
    }
}
