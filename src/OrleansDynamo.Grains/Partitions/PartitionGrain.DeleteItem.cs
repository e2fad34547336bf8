using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<DeleteItemResponse> DeleteItem(DeleteItemRequest request)
    {
        var key = Locate(request.Key!);
        var existing = Newest(key);
        var expressions = RequestExpressions.Bind(request.ConditionExpression, null, null, null, null,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues);
        if (!expressions.EvaluateCondition(existing))
            throw DynamoErrors.ConditionalCheckFailed(
                ReturnValuesRules.ReturnsOldItemOnConditionFailure(request.ReturnValuesOnConditionCheckFailure) ? existing : null);

        if (existing is not null) await CommitAsync(key, null);
        return new DeleteItemResponse { Attributes = Wants(request.ReturnValues, ReturnValuesRules.AllOld) ? existing : null };
    }
}
