using OrleansDynamo.Model;

namespace OrleansDynamo.Operations;

/// <summary>ExportTableToPointInTime, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExportTableToPointInTime.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ExportTableToPointInTimeRequest")]
public sealed record ExportTableToPointInTimeRequest
{
    [Id(0)] public string? TableArn { get; init; }
    [Id(1)] public double? ExportTime { get; init; }
    [Id(2)] public string? ClientToken { get; init; }
    [Id(3)] public string? S3Bucket { get; init; }
    [Id(4)] public string? S3BucketOwner { get; init; }
    [Id(5)] public string? S3Prefix { get; init; }
    [Id(6)] public string? S3SseAlgorithm { get; init; }
    [Id(7)] public string? S3SseKmsKeyId { get; init; }
    [Id(8)] public string? ExportFormat { get; init; }
    [Id(9)] public string? ExportType { get; init; }
    [Id(10)] public IncrementalExportSpecification? IncrementalExportSpecification { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.IncrementalExportSpecification")]
public sealed record IncrementalExportSpecification
{
    [Id(0)] public double? ExportFromTime { get; init; }
    [Id(1)] public double? ExportToTime { get; init; }
    [Id(2)] public string? ExportViewType { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ExportTableToPointInTimeResponse")]
public sealed record ExportTableToPointInTimeResponse
{
    [Id(0)] public ExportDescription? ExportDescription { get; init; }
}

/// <summary>DescribeExport, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeExport.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeExportRequest")]
public sealed record DescribeExportRequest
{
    [Id(0)] public string? ExportArn { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeExportResponse")]
public sealed record DescribeExportResponse
{
    [Id(0)] public ExportDescription? ExportDescription { get; init; }
}

/// <summary>ListExports, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListExports.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ListExportsRequest")]
public sealed record ListExportsRequest
{
    [Id(0)] public string? TableArn { get; init; }
    [Id(1)] public int? MaxResults { get; init; }
    [Id(2)] public string? NextToken { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ListExportsResponse")]
public sealed record ListExportsResponse
{
    [Id(0)] public IReadOnlyList<ExportSummary> ExportSummaries { get; init; } = [];
    [Id(1)] public string? NextToken { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ExportSummary")]
public sealed record ExportSummary
{
    [Id(0)] public string ExportArn { get; init; } = "";
    [Id(1)] public string ExportStatus { get; init; } = "";
    [Id(2)] public string ExportType { get; init; } = "";
}

/// <summary>An export's parameters and progress; ItemCount grows while it runs.</summary>
[GenerateSerializer, Immutable, Alias("odyn.ExportDescription")]
public sealed record ExportDescription
{
    [Id(0)] public string ExportArn { get; init; } = "";
    /// <summary>IN_PROGRESS, COMPLETED or FAILED.</summary>
    [Id(1)] public string ExportStatus { get; init; } = "IN_PROGRESS";
    [Id(2)] public double StartTime { get; init; }
    [Id(3)] public double? EndTime { get; init; }
    [Id(4)] public string? ExportManifest { get; init; }
    [Id(5)] public string TableArn { get; init; } = "";
    [Id(6)] public string TableId { get; init; } = "";
    [Id(7)] public double ExportTime { get; init; }
    [Id(8)] public string? ClientToken { get; init; }
    [Id(9)] public string S3Bucket { get; init; } = "";
    [Id(10)] public string? S3BucketOwner { get; init; }
    [Id(11)] public string? S3Prefix { get; init; }
    [Id(12)] public string S3SseAlgorithm { get; init; } = "AES256";
    [Id(13)] public string? S3SseKmsKeyId { get; init; }
    [Id(14)] public string? FailureCode { get; init; }
    [Id(15)] public string? FailureMessage { get; init; }
    [Id(16)] public string ExportFormat { get; init; } = "DYNAMODB_JSON";
    [Id(17)] public long BilledSizeBytes { get; init; }
    [Id(18)] public long ItemCount { get; init; }
    [Id(19)] public string ExportType { get; init; } = "FULL_EXPORT";
}

/// <summary>ImportTable, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ImportTable.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ImportTableRequest")]
public sealed record ImportTableRequest
{
    [Id(0)] public string? ClientToken { get; init; }
    [Id(1)] public S3BucketSource? S3BucketSource { get; init; }
    [Id(2)] public string? InputFormat { get; init; }
    [Id(3)] public InputFormatOptions? InputFormatOptions { get; init; }
    [Id(4)] public string? InputCompressionType { get; init; }
    [Id(5)] public TableCreationParameters? TableCreationParameters { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.S3BucketSource")]
public sealed record S3BucketSource
{
    [Id(0)] public string? S3BucketOwner { get; init; }
    [Id(1)] public string? S3Bucket { get; init; }
    [Id(2)] public string? S3KeyPrefix { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.InputFormatOptions")]
public sealed record InputFormatOptions
{
    [Id(0)] public CsvOptions? Csv { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.CsvOptions")]
public sealed record CsvOptions
{
    [Id(0)] public string? Delimiter { get; init; }
    [Id(1)] public IReadOnlyList<string>? HeaderList { get; init; }
}

/// <summary>The table an import creates: CreateTable's parameters, less those an import cannot set.</summary>
[GenerateSerializer, Immutable, Alias("odyn.TableCreationParameters")]
public sealed record TableCreationParameters
{
    [Id(0)] public string? TableName { get; init; }
    [Id(1)] public IReadOnlyList<AttributeDefinition>? AttributeDefinitions { get; init; }
    [Id(2)] public IReadOnlyList<KeySchemaElement>? KeySchema { get; init; }
    [Id(3)] public string? BillingMode { get; init; }
    [Id(4)] public ProvisionedThroughput? ProvisionedThroughput { get; init; }
    [Id(5)] public OnDemandThroughput? OnDemandThroughput { get; init; }
    [Id(6)] public SSESpecification? SSESpecification { get; init; }
    [Id(7)] public IReadOnlyList<GlobalSecondaryIndex>? GlobalSecondaryIndexes { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ImportTableResponse")]
public sealed record ImportTableResponse
{
    [Id(0)] public ImportTableDescription? ImportTableDescription { get; init; }
}

/// <summary>An import's parameters and progress: items read, items written, and per-item errors.</summary>
[GenerateSerializer, Immutable, Alias("odyn.ImportTableDescription")]
public sealed record ImportTableDescription
{
    [Id(0)] public string ImportArn { get; init; } = "";
    /// <summary>IN_PROGRESS, COMPLETED, CANCELLING, CANCELLED or FAILED.</summary>
    [Id(1)] public string ImportStatus { get; init; } = "IN_PROGRESS";
    [Id(2)] public string TableArn { get; init; } = "";
    [Id(3)] public string TableId { get; init; } = "";
    [Id(4)] public string? ClientToken { get; init; }
    [Id(5)] public S3BucketSource? S3BucketSource { get; init; }
    [Id(6)] public long ErrorCount { get; init; }
    [Id(7)] public string? CloudWatchLogGroupArn { get; init; }
    [Id(8)] public string InputFormat { get; init; } = "";
    [Id(9)] public InputFormatOptions? InputFormatOptions { get; init; }
    [Id(10)] public string InputCompressionType { get; init; } = "NONE";
    [Id(11)] public TableCreationParameters? TableCreationParameters { get; init; }
    [Id(12)] public double StartTime { get; init; }
    [Id(13)] public double? EndTime { get; init; }
    [Id(14)] public long ProcessedSizeBytes { get; init; }
    [Id(15)] public long ProcessedItemCount { get; init; }
    [Id(16)] public long ImportedItemCount { get; init; }
    [Id(17)] public string? FailureCode { get; init; }
    [Id(18)] public string? FailureMessage { get; init; }
}

/// <summary>DescribeImport, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeImport.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.DescribeImportRequest")]
public sealed record DescribeImportRequest
{
    [Id(0)] public string? ImportArn { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.DescribeImportResponse")]
public sealed record DescribeImportResponse
{
    [Id(0)] public ImportTableDescription? ImportTableDescription { get; init; }
}

/// <summary>ListImports, as in https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListImports.html</summary>
[GenerateSerializer, Immutable, Alias("odyn.ListImportsRequest")]
public sealed record ListImportsRequest
{
    [Id(0)] public string? TableArn { get; init; }
    [Id(1)] public int? PageSize { get; init; }
    [Id(2)] public string? NextToken { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ListImportsResponse")]
public sealed record ListImportsResponse
{
    [Id(0)] public IReadOnlyList<ImportSummary> ImportSummaryList { get; init; } = [];
    [Id(1)] public string? NextToken { get; init; }
}

[GenerateSerializer, Immutable, Alias("odyn.ImportSummary")]
public sealed record ImportSummary
{
    [Id(0)] public string ImportArn { get; init; } = "";
    [Id(1)] public string ImportStatus { get; init; } = "";
    [Id(2)] public string TableArn { get; init; } = "";
    [Id(3)] public S3BucketSource? S3BucketSource { get; init; }
    [Id(4)] public string InputFormat { get; init; } = "";
    [Id(5)] public double StartTime { get; init; }
    [Id(6)] public double? EndTime { get; init; }
}
