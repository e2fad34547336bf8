using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

public static class ScanValidator
{
    public const int MaxTotalSegments = 1_000_000;

    public static RequestExpressions Validate(ScanRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.IndexName(request.IndexName, "indexName", required: false);
        violations.Range(request.Limit, "limit", 1, int.MaxValue);
        LegacyRules.CheckAttributesToGet(violations, request.AttributesToGet);
        LegacyRules.CheckConditions(violations, request.ScanFilter, "scanFilter");
        SelectRules.CheckEnum(violations, request.Select);
        LegacyRules.CheckConditionalOperator(violations, request.ConditionalOperator);
        violations.Range(request.Segment, "segment", 0, MaxTotalSegments - 1);
        violations.Range(request.TotalSegments, "totalSegments", 1, MaxTotalSegments);
        violations.ThrowIfAny();
        if (request.Segment is not null && request.TotalSegments is null)
            throw DynamoErrors.TotalSegmentsRequired();
        if (request.TotalSegments is not null && request.Segment is null)
            throw DynamoErrors.SegmentRequired();
        if (request.Segment >= request.TotalSegments)
            throw DynamoErrors.SegmentNotLessThanTotal(request.Segment, request.TotalSegments);
        SelectRules.Check(request.Select, request.ProjectionExpression, request.IndexName, attributesToGet: request.AttributesToGet);
        return RequestExpressions.For(request);
    }

    /// <summary>Checks the starting key against the table, or against the index named by IndexName.</summary>
    public static IndexInfo? ValidateFor(ScanRequest request, TableInfo table)
    {
        if (request.IndexName is null)
        {
            ValidateFor(request, table.Schema);
            return null;
        }
        var index = IndexRules.Resolve(table, request.IndexName, request.ConsistentRead);
        IndexRules.CheckSelect(index, request.Select);
        if (request.ExclusiveStartKey is { } start) IndexRules.CheckStartKey(start, index, table.Schema);
        return index;
    }

    public static void ValidateFor(ScanRequest request, TableSchema schema)
    {
        if (request.IndexName is not null)
            throw DynamoErrors.IndexNotFound(request.IndexName);
        if (request.ExclusiveStartKey is { } start)
            KeyRules.CheckKey(start, schema, DynamoErrors.StartKeyMismatch);
    }
}
