using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Validation;

/// <summary>
/// RestoreTableFromBackup and RestoreTableToPointInTime: the target, the source, and the overrides. The restored
/// table's request (the source's schema with the overrides) then goes through CreateTable's own validation.
/// </summary>
public static class RestoreValidator
{
    public static void Validate(RestoreTableFromBackupRequest request)
    {
        var violations = new Violations();
        violations.IndexName(request.TargetTableName, "targetTableName");
        violations.NotNull(request.BackupArn, "backupArn");
        violations.Length(request.BackupArn, "backupArn", 37, 1024);
        Overrides(violations, request.BillingModeOverride, request.ProvisionedThroughputOverride);
        violations.ThrowIfAny();
    }

    public static void Validate(RestoreTableToPointInTimeRequest request)
    {
        var violations = new Violations();
        violations.TableName(request.SourceTableName, "sourceTableName", required: false);
        violations.Length(request.SourceTableArn, "sourceTableArn", 1, 1024);
        violations.IndexName(request.TargetTableName, "targetTableName");
        Overrides(violations, request.BillingModeOverride, request.ProvisionedThroughputOverride);
        violations.ThrowIfAny();
        if ((request.SourceTableArn is null) == (request.SourceTableName is null)) throw Errors.DynamoErrors.RestoreSourceRequired();
        if (request.UseLatestRestorableTime == true && request.RestoreDateTime is not null) throw Errors.DynamoErrors.RestoreTimeAndLatest();
    }

    private static void Overrides(Violations violations, string? billingMode, ProvisionedThroughput? throughput)
    {
        violations.Enum(billingMode, "billingModeOverride", "PROVISIONED", "PAY_PER_REQUEST");
        violations.Throughput(throughput, "provisionedThroughputOverride");
    }

    /// <summary>
    /// The CreateTable request of a restored table: the source's definition under the target's name, with what the
    /// request overrides (billing mode, throughput, indexes, encryption).
    /// </summary>
    public static CreateTableRequest Target(CreateTableRequest source, string targetTable, string? billingMode, ProvisionedThroughput? throughput,
        OnDemandThroughput? onDemand, IReadOnlyList<GlobalSecondaryIndex>? globalIndexes, IReadOnlyList<LocalSecondaryIndex>? localIndexes,
        SSESpecification? sse)
    {
        var payPerRequest = (billingMode ?? source.BillingMode) == "PAY_PER_REQUEST";
        var indexes = globalIndexes ?? source.GlobalSecondaryIndexes;
        return source with
        {
            TableName = targetTable,
            BillingMode = billingMode ?? source.BillingMode,
            ProvisionedThroughput = payPerRequest ? null : throughput ?? source.ProvisionedThroughput ?? new ProvisionedThroughput { ReadCapacityUnits = 5, WriteCapacityUnits = 5 },
            OnDemandThroughput = payPerRequest ? onDemand ?? source.OnDemandThroughput : null,
            // A switch of billing mode carries over to the indexes: on demand has no provisioned index throughput.
            GlobalSecondaryIndexes = indexes?.Select(i => payPerRequest ? i with { ProvisionedThroughput = null }
                : i with { ProvisionedThroughput = i.ProvisionedThroughput ?? throughput ?? new ProvisionedThroughput { ReadCapacityUnits = 5, WriteCapacityUnits = 5 } }).ToList(),
            LocalSecondaryIndexes = localIndexes ?? source.LocalSecondaryIndexes,
            SSESpecification = sse ?? source.SSESpecification,
        };
    }
}
