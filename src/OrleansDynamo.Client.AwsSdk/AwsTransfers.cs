using Amazon.DynamoDBv2;
using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>Exports and imports: their sources, formats and table parameters both ways, and their descriptions as the SDK's model objects.</summary>
internal static class AwsTransfers
{
    public static S3BucketSource? Source(Sdk.S3BucketSource? source) => source is null ? null : new S3BucketSource
    {
        S3BucketOwner = source.S3BucketOwner, S3Bucket = source.S3Bucket, S3KeyPrefix = source.S3KeyPrefix,
    };

    public static Sdk.S3BucketSource? Source(S3BucketSource? source) => source is null ? null : new Sdk.S3BucketSource
    {
        S3BucketOwner = source.S3BucketOwner, S3Bucket = source.S3Bucket, S3KeyPrefix = source.S3KeyPrefix,
    };

    public static InputFormatOptions? Options(Sdk.InputFormatOptions? options) => options is null ? null : new InputFormatOptions
    {
        Csv = options.Csv is { } csv ? new CsvOptions { Delimiter = csv.Delimiter, HeaderList = AwsRequestReader.List(csv.HeaderList) } : null,
    };

    public static Sdk.InputFormatOptions? Options(InputFormatOptions? options) => options is null ? null : new Sdk.InputFormatOptions
    {
        Csv = options.Csv is { } csv ? new Sdk.CsvOptions { Delimiter = csv.Delimiter, HeaderList = csv.HeaderList?.ToList() } : null,
    };

    public static TableCreationParameters? Table(Sdk.TableCreationParameters? table) => table is null ? null : new TableCreationParameters
    {
        TableName = table.TableName,
        AttributeDefinitions = AwsTables.AttributeDefinitions(table.AttributeDefinitions),
        KeySchema = AwsTables.KeySchema(table.KeySchema),
        BillingMode = table.BillingMode?.Value,
        ProvisionedThroughput = AwsTables.Throughput(table.ProvisionedThroughput),
        OnDemandThroughput = AwsTableSettings.OnDemand(table.OnDemandThroughput),
        SSESpecification = AwsTableSettings.Encryption(table.SSESpecification),
        GlobalSecondaryIndexes = AwsIndexes.Global(table.GlobalSecondaryIndexes),
    };

    public static Sdk.TableCreationParameters? Table(TableCreationParameters? table) => table is null ? null : new Sdk.TableCreationParameters
    {
        TableName = table.TableName,
        AttributeDefinitions = AwsTables.AttributeDefinitions(table.AttributeDefinitions),
        KeySchema = AwsTables.KeySchema(table.KeySchema),
        BillingMode = table.BillingMode is { } mode ? BillingMode.FindValue(mode) : null,
        ProvisionedThroughput = AwsTables.Throughput(table.ProvisionedThroughput),
        OnDemandThroughput = AwsTableSettings.OnDemand(table.OnDemandThroughput),
        SSESpecification = AwsTableSettings.Encryption(table.SSESpecification),
        GlobalSecondaryIndexes = AwsIndexes.Global(table.GlobalSecondaryIndexes),
    };

    public static Sdk.ExportDescription? Export(ExportDescription? export) => export is null ? null : new Sdk.ExportDescription
    {
        ExportArn = export.ExportArn,
        ExportStatus = export.ExportStatus,
        StartTime = AwsValues.Time(export.StartTime),
        EndTime = AwsValues.Time(export.EndTime),
        ExportManifest = export.ExportManifest,
        TableArn = export.TableArn,
        TableId = export.TableId,
        ExportTime = AwsValues.Time(export.ExportTime),
        ClientToken = export.ClientToken,
        S3Bucket = export.S3Bucket,
        S3BucketOwner = export.S3BucketOwner,
        S3Prefix = export.S3Prefix,
        S3SseAlgorithm = export.S3SseAlgorithm,
        S3SseKmsKeyId = export.S3SseKmsKeyId,
        FailureCode = export.FailureCode,
        FailureMessage = export.FailureMessage,
        ExportFormat = export.ExportFormat,
        BilledSizeBytes = export.BilledSizeBytes,
        ItemCount = export.ItemCount,
        ExportType = export.ExportType,
    };

    public static Sdk.ImportTableDescription? Import(ImportTableDescription? import) => import is null ? null : new Sdk.ImportTableDescription
    {
        ImportArn = import.ImportArn,
        ImportStatus = import.ImportStatus,
        TableArn = import.TableArn,
        TableId = import.TableId,
        ClientToken = import.ClientToken,
        S3BucketSource = Source(import.S3BucketSource),
        ErrorCount = import.ErrorCount,
        CloudWatchLogGroupArn = import.CloudWatchLogGroupArn,
        InputFormat = import.InputFormat,
        InputFormatOptions = Options(import.InputFormatOptions),
        InputCompressionType = import.InputCompressionType,
        TableCreationParameters = Table(import.TableCreationParameters),
        StartTime = AwsValues.Time(import.StartTime),
        EndTime = AwsValues.Time(import.EndTime),
        ProcessedSizeBytes = import.ProcessedSizeBytes,
        ProcessedItemCount = import.ProcessedItemCount,
        ImportedItemCount = import.ImportedItemCount,
        FailureCode = import.FailureCode,
        FailureMessage = import.FailureMessage,
    };
}
