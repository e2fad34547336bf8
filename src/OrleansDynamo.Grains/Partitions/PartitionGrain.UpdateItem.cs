using OrleansDynamo.Errors;
using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    public async Task<UpdateItemResponse> UpdateItem(UpdateItemRequest request)
    {
        var key = Locate(request.Key!);
        var existing = Newest(key);
        var expressions = RequestExpressions.Bind(request.ConditionExpression, request.UpdateExpression, null, null, null,
            request.ExpressionAttributeNames, request.ExpressionAttributeValues);
        if (!expressions.EvaluateCondition(existing))
            throw DynamoErrors.ConditionalCheckFailed(
                ReturnValuesRules.ReturnsOldItemOnConditionFailure(request.ReturnValuesOnConditionCheckFailure) ? existing : null);

        var update = expressions.ApplyUpdate(existing, request.Key!, Schema.KeyAttributeNames);
        ItemRules.CheckSize(update.Item, "Item size to update has exceeded the maximum allowed size");
        await CommitAsync(key, update.Item);
        return new UpdateItemResponse { Attributes = ReturnedAttributes(request.ReturnValues, existing, update) };
    }

    private static Item? ReturnedAttributes(string? returnValues, Item? existing, UpdateResult update)
    {
        var attributes = returnValues switch
        {
            ReturnValuesRules.AllOld => existing,
            ReturnValuesRules.AllNew => update.Item,
            ReturnValuesRules.UpdatedOld => update.SelectUpdated(existing),
            ReturnValuesRules.UpdatedNew => update.SelectUpdated(update.Item),
            _ => null,
        };
        return attributes is { Count: > 0 } ? attributes : null;
    }
}
