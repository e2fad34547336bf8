using OrleansDynamo.Expressions;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>What every part of a transaction asks of one action, whichever of the four it is.</summary>
public static class TransactionActions
{
    /// <summary>A ConditionCheck as the DeleteItem it is shaped like (a key and a condition), so that it is validated and evaluated as one.</summary>
    public static DeleteItemRequest AsDelete(ConditionCheck check) => new()
    {
        TableName = check.TableName,
        Key = check.Key,
        ConditionExpression = check.ConditionExpression,
        ExpressionAttributeNames = check.ExpressionAttributeNames,
        ExpressionAttributeValues = check.ExpressionAttributeValues,
        ReturnValuesOnConditionCheckFailure = check.ReturnValuesOnConditionCheckFailure,
    };

    public static string TableName(TransactWriteItem action) =>
        (action.Put is { } put ? put.TableName
            : action.Update is { } update ? update.TableName
            : action.Delete is { } delete ? delete.TableName
            : action.ConditionCheck!.TableName)!;

    /// <summary>The key of the item the action is on (a Put's key attributes).</summary>
    public static Item KeyOf(TransactWriteItem action, TableSchema schema)
    {
        if (action.Put?.Item is { } item) return schema.KeyOf(item);
        return (action.Update is { } update ? update.Key : action.Delete is { } delete ? delete.Key : action.ConditionCheck!.Key)!;
    }

    /// <summary>Whether the action changes its item (a ConditionCheck does not).</summary>
    public static bool Writes(TransactWriteItem action) => action.ConditionCheck is null;

    public static RequestExpressions Expressions(TransactWriteItem action) =>
        action.Put is { } put ? RequestExpressions.For(put, validated: true)
        : action.Update is { } update ? RequestExpressions.For(update, validated: true)
        : RequestExpressions.For(action.Delete ?? AsDelete(action.ConditionCheck!), validated: true);

    public static string? ReturnValuesOnConditionCheckFailure(TransactWriteItem action) =>
        action.Put is { } put ? put.ReturnValuesOnConditionCheckFailure
        : action.Update is { } update ? update.ReturnValuesOnConditionCheckFailure
        : action.Delete is { } delete ? delete.ReturnValuesOnConditionCheckFailure
        : action.ConditionCheck!.ReturnValuesOnConditionCheckFailure;
}
