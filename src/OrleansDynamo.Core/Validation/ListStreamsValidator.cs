using OrleansDynamo.Errors;
using OrleansDynamo.Operations;
using OrleansDynamo.Streams;

namespace OrleansDynamo.Validation;

public static class ListStreamsValidator
{
    public const int MaxLimit = 100;

    public static void Validate(ListStreamsRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName, required: false);
        violations.Range(request.Limit, "limit", 1, MaxLimit);
        violations.Length(request.ExclusiveStartStreamArn, "exclusiveStartStreamArn", 37, 1024);
        violations.ThrowIfAny();
        if (request.ExclusiveStartStreamArn is { } arn && !StreamNames.TryParseStreamArn(arn, out _, out _)) throw DynamoErrors.InvalidStreamArn(arn);
    }
}
