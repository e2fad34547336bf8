using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Throughput;

namespace OrleansDynamo.Validation;

/// <summary>BatchWriteItem, checked in DynamoDB's order (as dynalite records it): constraint violations, each
/// request's shape and item values and sizes, the 25-request limit; then, once the tables are known to exist,
/// each key against its schema and duplicate keys within a table.</summary>
public static class BatchWriteItemValidator
{
    public const int MaxRequests = 25;

    public static void Validate(BatchWriteItemRequest request)
    {
        var violations = new Violations();
        CapacityUnits.CheckEnum(violations, request.ReturnConsumedCapacity);
        violations.Enum(request.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", "SIZE", "NONE");
        BatchRules.CheckRequestItems(violations, request.RequestItems);
        var requestItems = request.RequestItems ?? new Dictionary<string, IReadOnlyList<WriteRequest>>();
        if (requestItems.Values.Any(writes => writes is null || writes.Count is 0 or > MaxRequests))
            violations.Add(BatchRules.Echo(requestItems), "requestItems",
                $"Map value must satisfy constraint: [Member must have length less than or equal to {MaxRequests}, Member must have length greater than or equal to 1]");
        foreach (var (table, writes) in requestItems)
        {
            for (var i = 0; i < (writes?.Count ?? 0); i++)
            {
                var member = $"requestItems.{table}.member.{i + 1}.member";
                if (writes![i].DeleteRequest is { Key: null }) violations.NotNull(null, member + ".deleteRequest.key");
                if (writes[i].PutRequest is { Item: null }) violations.NotNull(null, member + ".putRequest.item");
            }
        }
        violations.ThrowIfAny();

        var total = 0;
        foreach (var writes in requestItems.Values)
        {
            foreach (var write in writes)
            {
                if ((write.PutRequest is null) == (write.DeleteRequest is null))
                    throw DynamoErrors.AttributeValueHasMultipleTypes();
                if (write.PutRequest?.Item is { } item)
                {
                    ItemRules.CheckValues(item);
                    ItemRules.CheckSize(item);
                }
                if (++total > MaxRequests) throw DynamoErrors.TooManyBatchWrites();
            }
        }
    }

    /// <summary>What needs the table: keys match the schema (BatchWriteItem words a put's bad key like a delete's)
    /// and no key is written twice.</summary>
    public static void ValidateFor(IReadOnlyList<WriteRequest> writes, TableSchema schema)
    {
        var seen = new HashSet<Item>(BatchRules.KeyEquality.Instance);
        foreach (var write in writes)
        {
            var key = KeyOf(write, schema);
            if (write.PutRequest is not null && key.TryGetValue(schema.HashKey.Name, out var hash) && hash.Type == schema.HashKey.Type &&
                hash.Type is AttributeType.S or AttributeType.B && SizeOf(hash) > KeyRules.MaxHashKeyBytes)
                // DynamoDB drops the space before "2048" here, unlike PutItem.
                throw DynamoErrors.BatchHashKeyTooLarge();
            KeyRules.CheckKey(key, schema);
            if (!seen.Add(key)) throw DynamoErrors.DuplicateKeys();
        }
    }

    /// <summary>The key a request writes: a delete's key, or a put item's key attributes.</summary>
    public static Item KeyOf(WriteRequest write, TableSchema schema)
    {
        if (write.DeleteRequest is { Key: { } key }) return key;
        var item = write.PutRequest!.Item!;
        return new Item(schema.KeyAttributeNames.Where(item.ContainsKey).Select(name => KeyValuePair.Create(name, item[name])));
    }

    private static int SizeOf(AttributeValue value) =>
        value.Type == AttributeType.S ? System.Text.Encoding.UTF8.GetByteCount(value.S) : value.B.Length;
}
