using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

public static class GetRecordsValidator
{
    public const int MaxLimit = 1000;

    public static void Validate(GetRecordsRequest request)
    {
        var violations = new Violations();
        violations.NotNull(request.ShardIterator, "shardIterator");
        violations.Length(request.ShardIterator, "shardIterator", 1, 2048);
        violations.Range(request.Limit, "limit", 1, MaxLimit);
        violations.ThrowIfAny();
    }
}
