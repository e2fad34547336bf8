using OrleansDynamo.Errors;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

/// <summary>
/// TransactWriteItems, checked in DynamoDB's order: constraint violations of the request (1 to 100 actions,
/// the token's length, the enums, the members each action requires), exactly one operation per action, each
/// action as its single-item operation; then, once the tables are known, each key against its schema, no item
/// twice and 4 MB in all. Conditions and updates are evaluated in the partitions, where a failure is a
/// cancellation reason rather than an error.
/// </summary>
public static class TransactWriteItemsValidator
{
    public const int MaxActions = 100;
    public const int MaxTokenLength = 36;
    public const long MaxTransactionBytes = 4L * 1024 * 1024;

    public static void Validate(TransactWriteItemsRequest request)
    {
        var violations = new Violations();
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.Enum(request.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", "SIZE", "NONE");
        violations.Length(request.ClientRequestToken, "clientRequestToken", 1, MaxTokenLength);
        CheckActionCount(violations, request.TransactItems, "TransactWriteItem");
        for (var i = 0; i < (request.TransactItems?.Count ?? 0); i++)
        {
            var action = request.TransactItems![i];
            var member = $"transactItems.{i + 1}.member";
            // Each action's own members, named by their place in the request, in the one message of the whole request.
            if (action.ConditionCheck is { } check)
            {
                CheckTarget(violations, member + ".conditionCheck", check.TableName, check.Key, "key", check.ReturnValuesOnConditionCheckFailure);
                violations.NotNull(check.ConditionExpression, member + ".conditionCheck.conditionExpression");
            }
            if (action.Put is { } put) CheckTarget(violations, member + ".put", put.TableName, put.Item, "item", put.ReturnValuesOnConditionCheckFailure);
            if (action.Delete is { } delete) CheckTarget(violations, member + ".delete", delete.TableName, delete.Key, "key", delete.ReturnValuesOnConditionCheckFailure);
            if (action.Update is { } update)
            {
                CheckTarget(violations, member + ".update", update.TableName, update.Key, "key", update.ReturnValuesOnConditionCheckFailure);
                violations.NotNull(update.UpdateExpression, member + ".update.updateExpression");
            }
        }
        violations.ThrowIfAny();

        foreach (var action in request.TransactItems!)
        {
            if (new object?[] { action.ConditionCheck, action.Put, action.Update, action.Delete }.Count(o => o is not null) != 1)
                throw DynamoErrors.TransactionActionNotOne();
            if (action.Put is { } put) PutItemValidator.Validate(put);
            else if (action.Update is { } update) UpdateItemValidator.Validate(update);
            else if (action.Delete is { } delete) DeleteItemValidator.Validate(delete);
            else DeleteItemValidator.Validate(TransactionActions.AsDelete(action.ConditionCheck!));
        }
    }

    /// <summary>An action's table, its key (or a Put's item) and its ReturnValuesOnConditionCheckFailure.</summary>
    private static void CheckTarget(Violations violations, string member, string? tableName, Item? keyOrItem, string keyMember, string? onConditionCheckFailure)
    {
        violations.TableName(tableName, member + ".tableName");
        violations.NotNull(keyOrItem, $"{member}.{keyMember}");
        violations.Enum(onConditionCheckFailure, member + ".returnValuesOnConditionCheckFailure", ReturnValuesRules.AllOld, ReturnValuesRules.None);
    }

    /// <summary>What needs the tables: keys match their schemas, no item is the target of two actions, 4 MB in all.</summary>
    public static void ValidateFor(TransactWriteItemsRequest request, Func<string, TableSchema> schemaOf)
    {
        long bytes = 0;
        var keys = new List<(string, Item)>();
        foreach (var action in request.TransactItems!)
        {
            var table = TransactionActions.TableName(action);
            var schema = schemaOf(table);
            // A put's item is checked first: its key is taken from it.
            if (action.Put is { } put) PutItemValidator.ValidateFor(put, schema);
            var key = TransactionActions.KeyOf(action, schema);
            if (action.Put is null) KeyRules.CheckKey(key, schema);
            keys.Add((table, key));
            bytes += action.Put?.Item?.SizeInBytes ?? key.SizeInBytes;
        }
        if (HasDuplicates(keys)) throw DynamoErrors.MultipleOperationsOnOneItem();
        if (bytes > MaxTransactionBytes) throw DynamoErrors.TransactionTooLarge();
    }

    /// <summary>Whether two entries name the same item (same table, keys equal by value).</summary>
    public static bool HasDuplicates(IEnumerable<(string Table, Item Key)> keys) =>
        keys.GroupBy(k => k.Table, StringComparer.Ordinal)
            .Any(table => table.Select(k => k.Key).Distinct(BatchRules.KeyEquality.Instance).Count() != table.Count());

    /// <summary>1 to 100 actions, worded as DynamoDB echoes a list of structures (<c>[...TransactWriteItem@..., ...]</c>).</summary>
    public static void CheckActionCount<T>(Violations violations, IReadOnlyList<T>? actions, string shapeName)
    {
        violations.NotNull(actions, "transactItems");
        if (actions is null) return;
        var echo = "[" + string.Join(", ", actions.Select((_, i) => $"com.amazonaws.dynamodb.v20120810.{shapeName}@{i:x8}")) + "]";
        if (actions.Count < 1) violations.Add(echo, "transactItems", "Member must have length greater than or equal to 1");
        else if (actions.Count > MaxActions) violations.Add(echo, "transactItems", $"Member must have length less than or equal to {MaxActions}");
    }
}
