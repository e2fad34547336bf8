using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>UpdateTable: billing mode, provisioned throughput and deletion protection, for now.</summary>
public static class UpdateTableValidator
{
    public static void Validate(UpdateTableRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.TableName);
        violations.AttributeDefinitions(request.AttributeDefinitions, CreateTableValidator.MaxKeyAttributeNameLength);
        violations.Enum(request.BillingMode, "billingMode", "PROVISIONED", "PAY_PER_REQUEST");
        violations.Throughput(request.ProvisionedThroughput, "provisionedThroughput");
        IndexRules.CheckUpdates(violations, request.GlobalSecondaryIndexUpdates);
        StreamSpecificationRules.CheckShape(violations, request.StreamSpecification);
        TableSettingsRules.CheckShape(violations, request.SSESpecification);
        violations.ThrowIfAny();
        if (request.BillingMode is null && request.ProvisionedThroughput is null && request.DeletionProtectionEnabled is null && request.GlobalSecondaryIndexUpdates is null
            && request.StreamSpecification is null && request.TableClass is null && request.SSESpecification is null && request.OnDemandThroughput is null
            && request.WarmThroughput is null)
            throw DynamoErrors.NothingToUpdate();
        StreamSpecificationRules.CheckViewType(request.StreamSpecification, creating: false);
        if (request.StreamSpecification is not null && request.ProvisionedThroughput is not null) throw DynamoErrors.StreamWithThroughputChange();
        // UpdateTable performs one of these at once (API reference); a stream change is not dropped in silence.
        if (request.StreamSpecification is not null && request.GlobalSecondaryIndexUpdates is not null) throw DynamoErrors.StreamWithIndexChange();
        if (request.ProvisionedThroughput is not null) ThroughputRules.CheckBounds(request.ProvisionedThroughput);
        if (request.GlobalSecondaryIndexUpdates is { } indexUpdates) IndexRules.CheckUpdateActions(indexUpdates);
        TableSettingsRules.CheckAlone(request);
    }

    /// <summary>The table after the update, or DynamoDB's error when the update does not fit the current table.</summary>
    public static TableDescription Apply(TableDescription current, UpdateTableRequest request, double now)
    {
        var currentMode = current.BillingModeSummary?.BillingMode ?? "PROVISIONED";
        var mode = request.BillingMode ?? currentMode;
        var updated = current with { DeletionProtectionEnabled = request.DeletionProtectionEnabled ?? current.DeletionProtectionEnabled };
        TableSettingsRules.Check(request.TableClass, request.SSESpecification, request.OnDemandThroughput, mode);

        if (mode == "PAY_PER_REQUEST")
        {
            if (request.ProvisionedThroughput is not null)
                throw DynamoErrors.ThroughputWithPayPerRequest();
            if (currentMode == mode) return updated;
            return updated with
            {
                ProvisionedThroughput = current.ProvisionedThroughput with { ReadCapacityUnits = 0, WriteCapacityUnits = 0 },
                BillingModeSummary = new BillingModeSummary { BillingMode = mode, LastUpdateToPayPerRequestDateTime = now },
            };
        }

        if (request.ProvisionedThroughput is not { } throughput)
        {
            if (currentMode != mode)
                throw DynamoErrors.ProvisionedThroughputRequired();
            return updated;
        }
        var old = current.ProvisionedThroughput;
        if (currentMode == mode && throughput.ReadCapacityUnits == old.ReadCapacityUnits && throughput.WriteCapacityUnits == old.WriteCapacityUnits)
            throw DynamoErrors.ThroughputUnchanged(old.ReadCapacityUnits, throughput.ReadCapacityUnits, old.WriteCapacityUnits, throughput.WriteCapacityUnits);
        return updated with
        {
            ProvisionedThroughput = ThroughputRules.Changed(old, throughput.ReadCapacityUnits!.Value, throughput.WriteCapacityUnits!.Value, now),
            BillingModeSummary = current.BillingModeSummary is null ? null : new BillingModeSummary { BillingMode = mode },
        };
    }
}
