using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Expressions;

/// <summary>
/// One entry point per operation: the edge validator and the partition grain bind a request's
/// expressions and legacy parameters the same way. The edge validates; the grain, which only ever
/// receives validated requests, passes <c>validated: true</c> so its turn does not check them again.
/// </summary>
public sealed partial class RequestExpressions
{
    private static readonly string[] ConditionOnly = [nameof(ExpressionKind.ConditionExpression)];
    private static readonly string[] UpdateAndCondition = [nameof(ExpressionKind.UpdateExpression), nameof(ExpressionKind.ConditionExpression)];
    private static readonly string[] FilterAndKeyCondition = [nameof(ExpressionKind.FilterExpression), nameof(ExpressionKind.KeyConditionExpression)];
    private static readonly string[] FilterOnly = [nameof(ExpressionKind.FilterExpression)];

    public static RequestExpressions For(PutItemRequest request, bool validated = false) =>
        Bind(request.ConditionExpression, null, null, null, null, request.ExpressionAttributeNames, request.ExpressionAttributeValues,
            Legacy(request.Expected, request.ConditionalOperator), ConditionOnly, validated);

    public static RequestExpressions For(DeleteItemRequest request, bool validated = false) =>
        Bind(request.ConditionExpression, null, null, null, null, request.ExpressionAttributeNames, request.ExpressionAttributeValues,
            Legacy(request.Expected, request.ConditionalOperator), ConditionOnly, validated);

    public static RequestExpressions For(UpdateItemRequest request, bool validated = false) =>
        Bind(request.ConditionExpression, request.UpdateExpression, null, null, null, request.ExpressionAttributeNames,
            request.ExpressionAttributeValues,
            request.Expected is null && request.ConditionalOperator is null && request.AttributeUpdates is null
                ? LegacyParameters.None
                : new LegacyParameters { Expected = request.Expected, ConditionalOperator = request.ConditionalOperator, AttributeUpdates = request.AttributeUpdates },
            UpdateAndCondition, validated);

    public static RequestExpressions For(GetItemRequest request, bool validated = false) =>
        Bind(null, null, request.ProjectionExpression, null, null, request.ExpressionAttributeNames, null,
            request.AttributesToGet is null ? LegacyParameters.None : new LegacyParameters { AttributesToGet = request.AttributesToGet },
            validated: validated);

    public static RequestExpressions For(QueryRequest request, bool validated = false)
    {
        var legacy = request.AttributesToGet is null && request.KeyConditions is null && request.QueryFilter is null && request.ConditionalOperator is null
            ? LegacyParameters.None
            : new LegacyParameters
            {
                AttributesToGet = request.AttributesToGet,
                KeyConditions = request.KeyConditions,
                Filter = request.QueryFilter,
                FilterParameter = "QueryFilter",
                ConditionalOperator = request.ConditionalOperator,
            };
        if (request.KeyConditions is null && request.KeyConditionExpression is null)
        {
            legacy.CheckNotMixed(ExpressionParameters(null, null, request.ProjectionExpression, request.FilterExpression, null));
            throw DynamoErrors.KeyConditionRequired();
        }
        return Bind(null, null, request.ProjectionExpression, request.FilterExpression, request.KeyConditionExpression,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues, legacy, FilterAndKeyCondition, validated);
    }

    public static RequestExpressions For(ScanRequest request, bool validated = false) =>
        Bind(null, null, request.ProjectionExpression, request.FilterExpression, null, request.ExpressionAttributeNames,
            request.ExpressionAttributeValues,
            request.AttributesToGet is null && request.ScanFilter is null && request.ConditionalOperator is null
                ? LegacyParameters.None
                : new LegacyParameters
                {
                    AttributesToGet = request.AttributesToGet,
                    Filter = request.ScanFilter,
                    FilterParameter = "ScanFilter",
                    ConditionalOperator = request.ConditionalOperator,
                },
            FilterOnly, validated);

    private static LegacyParameters Legacy(IReadOnlyDictionary<string, Model.ExpectedAttributeValue>? expected, string? conditionalOperator) =>
        expected is null && conditionalOperator is null
            ? LegacyParameters.None
            : new LegacyParameters { Expected = expected, ConditionalOperator = conditionalOperator };
}
