using OrleansDynamo.Errors;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>CreateTable, checked in DynamoDB's order: constraint violations first, then the key schema.</summary>
public static class CreateTableValidator
{
    public const long MaxCapacityUnits = 1_000_000_000_000;

    /// <summary>Key attribute names are shorter than other attribute names.</summary>
    public const int MaxKeyAttributeNameLength = 255;

    public static void Validate(CreateTableRequest request)
    {
        var violations = new Violations();
        violations.NotNull(request.AttributeDefinitions, "attributeDefinitions");
        violations.TableName(request.TableName);
        violations.NotNull(request.KeySchema, "keySchema");
        if (request.KeySchema is { } keySchema)
        {
            if (keySchema.Count is < 1 or > 2)
                violations.Add("[" + string.Join(", ", keySchema) + "]", "keySchema",
                    keySchema.Count < 1 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 2");
            for (var i = 0; i < keySchema.Count; i++)
            {
                violations.NotNull(keySchema[i].AttributeName, $"keySchema.{i + 1}.member.attributeName");
                violations.Length(keySchema[i].AttributeName, $"keySchema.{i + 1}.member.attributeName", 1, MaxKeyAttributeNameLength);
                violations.NotNull(keySchema[i].KeyType, $"keySchema.{i + 1}.member.keyType");
                violations.Enum(keySchema[i].KeyType, $"keySchema.{i + 1}.member.keyType", "HASH", "RANGE");
            }
        }
        violations.AttributeDefinitions(request.AttributeDefinitions, MaxKeyAttributeNameLength);
        violations.Enum(request.BillingMode, "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        violations.Throughput(request.ProvisionedThroughput, "provisionedThroughput");
        IndexRules.CheckShapes(violations, request.LocalSecondaryIndexes, request.GlobalSecondaryIndexes);
        StreamSpecificationRules.CheckShape(violations, request.StreamSpecification);
        TableSettingsRules.CheckShape(violations, request.SSESpecification);
        violations.ThrowIfAny();

        CheckBilling(request);
        CheckKeySchema(request);
        if (request.LocalSecondaryIndexes is not null || request.GlobalSecondaryIndexes is not null) IndexRules.CheckCreate(request);
        StreamSpecificationRules.CheckViewType(request.StreamSpecification, creating: true);
        TableSettingsRules.Check(request.TableClass, request.SSESpecification, request.OnDemandThroughput, request.BillingMode ?? "PROVISIONED");
        if (request.Tags is { } tags) TagRules.Check(tags);
    }

    private static void CheckBilling(CreateTableRequest request)
    {
        if (request.BillingMode == "PAY_PER_REQUEST")
        {
            if (request.ProvisionedThroughput is not null)
                throw DynamoErrors.ThroughputWithPayPerRequest();
            return;
        }
        if (request.ProvisionedThroughput is null)
            throw DynamoErrors.ThroughputMissingWhenProvisioned();
        ThroughputRules.CheckBounds(request.ProvisionedThroughput);
    }

    private static void CheckKeySchema(CreateTableRequest request)
    {
        var definitions = request.AttributeDefinitions!.Select(d => d.AttributeName!).ToList();
        var keys = request.KeySchema!.Select(k => k.AttributeName!).ToList();
        if (definitions.Distinct(StringComparer.Ordinal).Count() != definitions.Count)
            throw DynamoErrors.DuplicateAttributeDefinition();
        if (keys.Count == 2 && (keys.Any(k => !definitions.Contains(k)) || (keys[0] == keys[1] && definitions.Count == 1)))
            throw DynamoErrors.KeyAttributeWithoutDefinition();
        if (keys.Count == 1 && !definitions.Contains(keys[0]))
            throw DynamoErrors.IndexKeysNotDefined(keys, definitions);
        if (keys.Count == 2 && keys[0] == keys[1])
            throw DynamoErrors.HashAndRangeKeySameName();
        if (request.KeySchema![0].KeyType != "HASH")
            throw DynamoErrors.FirstKeyNotHash();
        if (keys.Count == 2 && request.KeySchema[1].KeyType != "RANGE")
            throw DynamoErrors.SecondKeyNotRange();
        if (keys.Count != definitions.Count && request.LocalSecondaryIndexes is null && request.GlobalSecondaryIndexes is null)
            throw DynamoErrors.KeySchemaDefinitionCountMismatch();
    }
}
