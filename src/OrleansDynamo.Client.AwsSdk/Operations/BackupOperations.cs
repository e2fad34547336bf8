using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class CreateBackupOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.CreateBackupRequest, CreateBackupRequest, CreateBackupResponse, Sdk.CreateBackupResponse>(
        static r => new CreateBackupRequest { TableName = r.TableName, BackupName = r.BackupName },
        static (db, r, ct) => db.CreateBackupAsync(r, ct),
        static r => new Sdk.CreateBackupResponse { BackupDetails = AwsBackups.Details(r.BackupDetails) });
}

internal static class DescribeBackupOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeBackupRequest, DescribeBackupRequest, DescribeBackupResponse, Sdk.DescribeBackupResponse>(
        static r => new DescribeBackupRequest { BackupArn = r.BackupArn },
        static (db, r, ct) => db.DescribeBackupAsync(r, ct),
        static r => new Sdk.DescribeBackupResponse { BackupDescription = AwsBackups.Description(r.BackupDescription) });
}

internal static class DeleteBackupOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DeleteBackupRequest, DeleteBackupRequest, DeleteBackupResponse, Sdk.DeleteBackupResponse>(
        static r => new DeleteBackupRequest { BackupArn = r.BackupArn },
        static (db, r, ct) => db.DeleteBackupAsync(r, ct),
        static r => new Sdk.DeleteBackupResponse { BackupDescription = AwsBackups.Description(r.BackupDescription) });
}

internal static class ListBackupsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ListBackupsRequest, ListBackupsRequest, ListBackupsResponse, Sdk.ListBackupsResponse>(
        static r => new ListBackupsRequest
        {
            TableName = r.TableName,
            Limit = r.Limit,
            TimeRangeLowerBound = AwsValues.Seconds(r.TimeRangeLowerBound),
            TimeRangeUpperBound = AwsValues.Seconds(r.TimeRangeUpperBound),
            ExclusiveStartBackupArn = r.ExclusiveStartBackupArn,
            BackupType = r.BackupType?.Value,
        },
        static (db, r, ct) => db.ListBackupsAsync(r, ct),
        static r => new Sdk.ListBackupsResponse
        {
            BackupSummaries = r.BackupSummaries.Select(AwsBackups.Summary).ToList(),
            LastEvaluatedBackupArn = r.LastEvaluatedBackupArn,
        });
}

internal static class RestoreTableFromBackupOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.RestoreTableFromBackupRequest, RestoreTableFromBackupRequest,
        RestoreTableFromBackupResponse, Sdk.RestoreTableFromBackupResponse>(
        static r => new RestoreTableFromBackupRequest
        {
            TargetTableName = r.TargetTableName,
            BackupArn = r.BackupArn,
            BillingModeOverride = r.BillingModeOverride?.Value,
            GlobalSecondaryIndexOverride = AwsIndexes.Global(r.GlobalSecondaryIndexOverride),
            LocalSecondaryIndexOverride = AwsIndexes.Local(r.LocalSecondaryIndexOverride),
            ProvisionedThroughputOverride = AwsTables.Throughput(r.ProvisionedThroughputOverride),
            OnDemandThroughputOverride = AwsTableSettings.OnDemand(r.OnDemandThroughputOverride),
            SSESpecificationOverride = AwsTableSettings.Encryption(r.SSESpecificationOverride),
        },
        static (db, r, ct) => db.RestoreTableFromBackupAsync(r, ct),
        static r => new Sdk.RestoreTableFromBackupResponse { TableDescription = AwsTables.Description(r.TableDescription) });
}

internal static class RestoreTableToPointInTimeOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.RestoreTableToPointInTimeRequest, RestoreTableToPointInTimeRequest,
        RestoreTableToPointInTimeResponse, Sdk.RestoreTableToPointInTimeResponse>(
        static r => new RestoreTableToPointInTimeRequest
        {
            SourceTableArn = r.SourceTableArn,
            SourceTableName = r.SourceTableName,
            TargetTableName = r.TargetTableName,
            UseLatestRestorableTime = r.UseLatestRestorableTime,
            RestoreDateTime = AwsValues.Seconds(r.RestoreDateTime),
            BillingModeOverride = r.BillingModeOverride?.Value,
            GlobalSecondaryIndexOverride = AwsIndexes.Global(r.GlobalSecondaryIndexOverride),
            LocalSecondaryIndexOverride = AwsIndexes.Local(r.LocalSecondaryIndexOverride),
            ProvisionedThroughputOverride = AwsTables.Throughput(r.ProvisionedThroughputOverride),
            OnDemandThroughputOverride = AwsTableSettings.OnDemand(r.OnDemandThroughputOverride),
            SSESpecificationOverride = AwsTableSettings.Encryption(r.SSESpecificationOverride),
        },
        static (db, r, ct) => db.RestoreTableToPointInTimeAsync(r, ct),
        static r => new Sdk.RestoreTableToPointInTimeResponse { TableDescription = AwsTables.Description(r.TableDescription) });
}

internal static class UpdateContinuousBackupsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.UpdateContinuousBackupsRequest, UpdateContinuousBackupsRequest,
        UpdateContinuousBackupsResponse, Sdk.UpdateContinuousBackupsResponse>(
        static r => new UpdateContinuousBackupsRequest
        {
            TableName = r.TableName,
            PointInTimeRecoverySpecification = r.PointInTimeRecoverySpecification is { } pitr
                ? new PointInTimeRecoverySpecification { PointInTimeRecoveryEnabled = pitr.PointInTimeRecoveryEnabled, RecoveryPeriodInDays = pitr.RecoveryPeriodInDays }
                : null,
        },
        static (db, r, ct) => db.UpdateContinuousBackupsAsync(r, ct),
        static r => new Sdk.UpdateContinuousBackupsResponse { ContinuousBackupsDescription = AwsBackups.Continuous(r.ContinuousBackupsDescription) });
}
