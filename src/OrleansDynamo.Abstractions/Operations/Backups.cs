using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>CreateBackup, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.CreateBackupRequest")]
public sealed record CreateBackupRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public string? BackupName { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.CreateBackupResponse")]
public sealed record CreateBackupResponse
{
    [Id(0)] public BackupDetails? BackupDetails { get; init; }
}

/// <summary>DescribeBackup, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeBackup.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeBackupRequest")]
public sealed record DescribeBackupRequest
{
    [Id(0)] public string? BackupArn { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeBackupResponse")]
public sealed record DescribeBackupResponse
{
    [Id(0)] public BackupDescription? BackupDescription { get; init; }
}

/// <summary>DeleteBackup, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteBackup.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DeleteBackupRequest")]
public sealed record DeleteBackupRequest
{
    [Id(0)] public string? BackupArn { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DeleteBackupResponse")]
public sealed record DeleteBackupResponse
{
    [Id(0)] public BackupDescription? BackupDescription { get; init; }
}

/// <summary>ListBackups, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListBackups.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ListBackupsRequest")]
public sealed record ListBackupsRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public int? Limit { get; init; }
    [Id(2)] public double? TimeRangeLowerBound { get; init; }
    [Id(3)] public double? TimeRangeUpperBound { get; init; }
    [Id(4)] public string? ExclusiveStartBackupArn { get; init; }
    [Id(5)] public string? BackupType { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ListBackupsResponse")]
public sealed record ListBackupsResponse
{
    [Id(0)] public IReadOnlyList<BackupSummary> BackupSummaries { get; init; } = [];
    [Id(1)] public string? LastEvaluatedBackupArn { get; init; }
}

/// <summary>RestoreTableFromBackup, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_RestoreTableFromBackup.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.RestoreTableFromBackupRequest")]
public sealed record RestoreTableFromBackupRequest
{
    [Id(0)] public string? TargetTableName { get; init; }
    [Id(1)] public string? BackupArn { get; init; }
    [Id(2)] public string? BillingModeOverride { get; init; }
    [Id(3)] public IReadOnlyList<GlobalSecondaryIndex>? GlobalSecondaryIndexOverride { get; init; }
    [Id(4)] public IReadOnlyList<LocalSecondaryIndex>? LocalSecondaryIndexOverride { get; init; }
    [Id(5)] public ProvisionedThroughput? ProvisionedThroughputOverride { get; init; }
    [Id(6)] public OnDemandThroughput? OnDemandThroughputOverride { get; init; }
    [Id(7)] public SSESpecification? SSESpecificationOverride { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.RestoreTableFromBackupResponse")]
public sealed record RestoreTableFromBackupResponse
{
    [Id(0)] public TableDescription? TableDescription { get; init; }
}

/// <summary>RestoreTableToPointInTime, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_RestoreTableToPointInTime.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.RestoreTableToPointInTimeRequest")]
public sealed record RestoreTableToPointInTimeRequest
{
    [Id(0)] public string? SourceTableArn { get; init; }
    [Id(1)] public string? SourceTableName { get; init; }
    [Id(2)] public string? TargetTableName { get; init; }
    [Id(3)] public bool? UseLatestRestorableTime { get; init; }
    [Id(4)] public double? RestoreDateTime { get; init; }
    [Id(5)] public string? BillingModeOverride { get; init; }
    [Id(6)] public IReadOnlyList<GlobalSecondaryIndex>? GlobalSecondaryIndexOverride { get; init; }
    [Id(7)] public IReadOnlyList<LocalSecondaryIndex>? LocalSecondaryIndexOverride { get; init; }
    [Id(8)] public ProvisionedThroughput? ProvisionedThroughputOverride { get; init; }
    [Id(9)] public OnDemandThroughput? OnDemandThroughputOverride { get; init; }
    [Id(10)] public SSESpecification? SSESpecificationOverride { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.RestoreTableToPointInTimeResponse")]
public sealed record RestoreTableToPointInTimeResponse
{
    [Id(0)] public TableDescription? TableDescription { get; init; }
}

/// <summary>UpdateContinuousBackups, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateContinuousBackups.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.UpdateContinuousBackupsRequest")]
public sealed record UpdateContinuousBackupsRequest
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public PointInTimeRecoverySpecification? PointInTimeRecoverySpecification { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.PointInTimeRecoverySpecification")]
public sealed record PointInTimeRecoverySpecification
{
    [Id(0)] public bool? PointInTimeRecoveryEnabled { get; init; }
    [Id(1)] public int? RecoveryPeriodInDays { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.UpdateContinuousBackupsResponse")]
public sealed record UpdateContinuousBackupsResponse
{
    [Id(0)] public ContinuousBackupsDescription? ContinuousBackupsDescription { get; init; }
}

/// <summary>A backup's identity and state (CreateBackup's answer; part of DescribeBackup's).</summary>
[GenerateSerializer, Immutable, Alias("odyn.BackupDetails")]
public sealed record BackupDetails
{
    [Id(0)] public string BackupArn { get; init; } = "";
    [Id(1)] public string BackupName { get; init; } = "";
    [Id(2)] public long? BackupSizeBytes { get; init; }
    /// <summary>CREATING, AVAILABLE or DELETED.</summary>
    [Id(3)] public string BackupStatus { get; init; } = "CREATING";
    /// <summary>USER, or SYSTEM for the backup DynamoDB takes when a table with point-in-time recovery is deleted.</summary>
    [Id(4)] public string BackupType { get; init; } = "USER";
    [Id(5)] public double BackupCreationDateTime { get; init; }
    [Id(6)] public double? BackupExpiryDateTime { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.BackupDescription")]
public sealed record BackupDescription
{
    [Id(0)] public BackupDetails? BackupDetails { get; init; }
    [Id(1)] public SourceTableDetails? SourceTableDetails { get; init; }
    [Id(2)] public SourceTableFeatureDetails? SourceTableFeatureDetails { get; init; }
}

/// <summary>The table a backup was taken of, as it was then.</summary>
[GenerateSerializer, Immutable, Alias("odyn.SourceTableDetails")]
public sealed record SourceTableDetails
{
    [Id(0)] public string TableName { get; init; } = "";
    [Id(1)] public string TableId { get; init; } = "";
    [Id(2)] public string? TableArn { get; init; }
    [Id(3)] public long? TableSizeBytes { get; init; }
    [Id(4)] public IReadOnlyList<KeySchemaElement> KeySchema { get; init; } = [];
    [Id(5)] public double TableCreationDateTime { get; init; }
    [Id(6)] public ProvisionedThroughput ProvisionedThroughput { get; init; } = new();
    [Id(7)] public OnDemandThroughput? OnDemandThroughput { get; init; }
    [Id(8)] public long? ItemCount { get; init; }
    [Id(9)] public string? BillingMode { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.SourceTableFeatureDetails")]
public sealed record SourceTableFeatureDetails
{
    [Id(0)] public IReadOnlyList<LocalSecondaryIndexInfo>? LocalSecondaryIndexes { get; init; }
    [Id(1)] public IReadOnlyList<GlobalSecondaryIndexInfo>? GlobalSecondaryIndexes { get; init; }
    [Id(2)] public StreamSpecification? StreamDescription { get; init; }
    [Id(3)] public TimeToLiveDescription? TimeToLiveDescription { get; init; }
    [Id(4)] public SSEDescription? SSEDescription { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.LocalSecondaryIndexInfo")]
public sealed record LocalSecondaryIndexInfo
{
    [Id(0)] public string? IndexName { get; init; }
    [Id(1)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; }
    [Id(2)] public Projection? Projection { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.GlobalSecondaryIndexInfo")]
public sealed record GlobalSecondaryIndexInfo
{
    [Id(0)] public string? IndexName { get; init; }
    [Id(1)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; }
    [Id(2)] public Projection? Projection { get; init; }
    [Id(3)] public ProvisionedThroughput? ProvisionedThroughput { get; init; }
    [Id(4)] public OnDemandThroughput? OnDemandThroughput { get; init; }
}

/// <summary>One backup in ListBackups.</summary>
[GenerateSerializer, Immutable, Alias("odyn.BackupSummary")]
public sealed record BackupSummary
{
    [Id(0)] public string TableName { get; init; } = "";
    [Id(1)] public string TableId { get; init; } = "";
    [Id(2)] public string TableArn { get; init; } = "";
    [Id(3)] public string BackupArn { get; init; } = "";
    [Id(4)] public string BackupName { get; init; } = "";
    [Id(5)] public double BackupCreationDateTime { get; init; }
    [Id(6)] public double? BackupExpiryDateTime { get; init; }
    [Id(7)] public string BackupStatus { get; init; } = "";
    [Id(8)] public string BackupType { get; init; } = "";
    [Id(9)] public long? BackupSizeBytes { get; init; }
}

/// <summary>How a restored table came to be (DescribeTable's RestoreSummary).</summary>
[GenerateSerializer, Immutable, Alias("odyn.RestoreSummary")]
public sealed record RestoreSummary
{
    [Id(0)] public string? SourceBackupArn { get; init; }
    [Id(1)] public string? SourceTableArn { get; init; }
    [Id(2)] public double RestoreDateTime { get; init; }
    [Id(3)] public bool RestoreInProgress { get; init; }
}
