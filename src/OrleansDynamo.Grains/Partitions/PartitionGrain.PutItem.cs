using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<PutItemResponse> PutItem(PutItemRequest request)
    {
        var key = Locate(request.Item!);
        var existing = Newest(key);
        var expressions = RequestExpressions.Bind(request.ConditionExpression, null, null, null, null,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues);
        if (!expressions.EvaluateCondition(existing))
            throw DynamoErrors.ConditionalCheckFailed(
                ReturnValuesRules.ReturnsOldItemOnConditionFailure(request.ReturnValuesOnConditionCheckFailure) ? existing : null);

        await CommitAsync(key, request.Item);
        return new PutItemResponse { Attributes = Wants(request.ReturnValues, ReturnValuesRules.AllOld) ? existing : null };
    }
}
