using Amazon.DynamoDBv2;
using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>Backups and point-in-time recovery as the SDK's model objects: backup details, descriptions and summaries, continuous backups.</summary>
internal static class AwsBackups
{
    public static Sdk.BackupDetails? Details(BackupDetails? details) => details is null ? null : new Sdk.BackupDetails
    {
        BackupArn = details.BackupArn,
        BackupName = details.BackupName,
        BackupSizeBytes = details.BackupSizeBytes,
        BackupStatus = details.BackupStatus,
        BackupType = details.BackupType,
        BackupCreationDateTime = AwsValues.Time(details.BackupCreationDateTime),
        BackupExpiryDateTime = AwsValues.Time(details.BackupExpiryDateTime),
    };

    public static Sdk.BackupDescription? Description(BackupDescription? backup) => backup is null ? null : new Sdk.BackupDescription
    {
        BackupDetails = Details(backup.BackupDetails),
        SourceTableDetails = backup.SourceTableDetails is { } source
            ? new Sdk.SourceTableDetails
            {
                TableName = source.TableName,
                TableId = source.TableId,
                TableArn = source.TableArn,
                TableSizeBytes = source.TableSizeBytes,
                KeySchema = AwsTables.KeySchema(source.KeySchema),
                TableCreationDateTime = AwsValues.Time(source.TableCreationDateTime),
                ProvisionedThroughput = AwsTables.Throughput(source.ProvisionedThroughput),
                OnDemandThroughput = AwsTableSettings.OnDemand(source.OnDemandThroughput),
                ItemCount = source.ItemCount,
                BillingMode = source.BillingMode is { } mode ? BillingMode.FindValue(mode) : null,
            }
            : null,
        SourceTableFeatureDetails = backup.SourceTableFeatureDetails is { } features
            ? new Sdk.SourceTableFeatureDetails
            {
                LocalSecondaryIndexes = features.LocalSecondaryIndexes?.Select(i => new Sdk.LocalSecondaryIndexInfo
                {
                    IndexName = i.IndexName,
                    KeySchema = AwsTables.KeySchema(i.KeySchema),
                    Projection = i.Projection is { } projection ? AwsIndexes.Projection(projection) : null,
                }).ToList(),
                GlobalSecondaryIndexes = features.GlobalSecondaryIndexes?.Select(i => new Sdk.GlobalSecondaryIndexInfo
                {
                    IndexName = i.IndexName,
                    KeySchema = AwsTables.KeySchema(i.KeySchema),
                    Projection = i.Projection is { } projection ? AwsIndexes.Projection(projection) : null,
                    ProvisionedThroughput = AwsTables.Throughput(i.ProvisionedThroughput),
                    OnDemandThroughput = AwsTableSettings.OnDemand(i.OnDemandThroughput),
                }).ToList(),
                StreamDescription = features.StreamDescription is { } stream
                    ? new Sdk.StreamSpecification { StreamEnabled = stream.StreamEnabled, StreamViewType = stream.StreamViewType }
                    : null,
                TimeToLiveDescription = features.TimeToLiveDescription is { } ttl
                    ? new Sdk.TimeToLiveDescription { AttributeName = ttl.AttributeName, TimeToLiveStatus = ttl.TimeToLiveStatus }
                    : null,
                SSEDescription = AwsTableSettings.Encryption(features.SSEDescription),
            }
            : null,
    };

    public static Sdk.BackupSummary Summary(BackupSummary backup) => new()
    {
        TableName = backup.TableName,
        TableId = backup.TableId,
        TableArn = backup.TableArn,
        BackupArn = backup.BackupArn,
        BackupName = backup.BackupName,
        BackupCreationDateTime = AwsValues.Time(backup.BackupCreationDateTime),
        BackupExpiryDateTime = AwsValues.Time(backup.BackupExpiryDateTime),
        BackupStatus = backup.BackupStatus,
        BackupType = backup.BackupType,
        BackupSizeBytes = backup.BackupSizeBytes,
    };

    /// <summary>DescribeContinuousBackups' and UpdateContinuousBackups' answer.</summary>
    public static Sdk.ContinuousBackupsDescription? Continuous(ContinuousBackupsDescription? backups) => backups is null ? null : new Sdk.ContinuousBackupsDescription
    {
        ContinuousBackupsStatus = backups.ContinuousBackupsStatus,
        PointInTimeRecoveryDescription = backups.PointInTimeRecoveryDescription is { } pitr
            ? new Sdk.PointInTimeRecoveryDescription
            {
                PointInTimeRecoveryStatus = pitr.PointInTimeRecoveryStatus,
                RecoveryPeriodInDays = pitr.RecoveryPeriodInDays,
                EarliestRestorableDateTime = AwsValues.Time(pitr.EarliestRestorableDateTime),
                LatestRestorableDateTime = AwsValues.Time(pitr.LatestRestorableDateTime),
            }
            : null,
    };
}
