using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

/// <summary>TransactGetItems: 1 to 100 gets, each with a table and a key, validated as GetItem; then each key against its schema, no item twice.</summary>
public static class TransactGetItemsValidator
{
    public static void Validate(TransactGetItemsRequest request)
    {
        var violations = new Violations();
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        TransactWriteItemsValidator.CheckActionCount(violations, request.TransactItems, "TransactGetItem");
        for (var i = 0; i < (request.TransactItems?.Count ?? 0); i++)
        {
            var member = $"transactItems.{i + 1}.member.get";
            var get = request.TransactItems![i].Get;
            violations.NotNull(get, member);
            if (get is null) continue;
            // Each Get's own members, named by their place in the request, in the one message of the whole request.
            violations.TableName(get.TableName, member + ".tableName");
            violations.NotNull(get.Key, member + ".key");
        }
        violations.ThrowIfAny();
        foreach (var get in request.TransactItems!) GetItemValidator.Validate(get.Get!);
    }

    public static void ValidateFor(TransactGetItemsRequest request, Func<string, TableSchema> schemaOf)
    {
        var gets = request.TransactItems!.Select(g => g.Get!).ToList();
        foreach (var get in gets) GetItemValidator.ValidateFor(get, schemaOf(get.TableName!));
        if (TransactWriteItemsValidator.HasDuplicates(gets.Select(g => (g.TableName!, g.Key!)))) throw DynamoErrors.MultipleOperationsOnOneItem();
    }
}
