using OrleansDynamo.Operations;
using Sdk = Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.Client.AwsSdk.Operations;

internal static class ExportTableToPointInTimeOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ExportTableToPointInTimeRequest, ExportTableToPointInTimeRequest,
        ExportTableToPointInTimeResponse, Sdk.ExportTableToPointInTimeResponse>(
        static r => new ExportTableToPointInTimeRequest
        {
            TableArn = r.TableArn,
            ExportTime = AwsValues.Seconds(r.ExportTime),
            // An idempotency token: the SDK's marshaller sends a new one when none is set.
            ClientToken = r.ClientToken ?? Guid.NewGuid().ToString(),
            S3Bucket = r.S3Bucket,
            S3BucketOwner = r.S3BucketOwner,
            S3Prefix = r.S3Prefix,
            S3SseAlgorithm = r.S3SseAlgorithm?.Value,
            S3SseKmsKeyId = r.S3SseKmsKeyId,
            ExportFormat = r.ExportFormat?.Value,
            ExportType = r.ExportType?.Value,
            IncrementalExportSpecification = r.IncrementalExportSpecification is { } incremental
                ? new IncrementalExportSpecification
                {
                    ExportFromTime = AwsValues.Seconds(incremental.ExportFromTime),
                    ExportToTime = AwsValues.Seconds(incremental.ExportToTime),
                    ExportViewType = incremental.ExportViewType?.Value,
                }
                : null,
        },
        static (db, r, ct) => db.ExportTableToPointInTimeAsync(r, ct),
        static r => new Sdk.ExportTableToPointInTimeResponse { ExportDescription = AwsTransfers.Export(r.ExportDescription) });
}

internal static class DescribeExportOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeExportRequest, DescribeExportRequest, DescribeExportResponse, Sdk.DescribeExportResponse>(
        static r => new DescribeExportRequest { ExportArn = r.ExportArn },
        static (db, r, ct) => db.DescribeExportAsync(r, ct),
        static r => new Sdk.DescribeExportResponse { ExportDescription = AwsTransfers.Export(r.ExportDescription) });
}

internal static class ListExportsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ListExportsRequest, ListExportsRequest, ListExportsResponse, Sdk.ListExportsResponse>(
        static r => new ListExportsRequest { TableArn = r.TableArn, MaxResults = r.MaxResults, NextToken = r.NextToken },
        static (db, r, ct) => db.ListExportsAsync(r, ct),
        static r => new Sdk.ListExportsResponse
        {
            ExportSummaries = r.ExportSummaries.Select(e => new Sdk.ExportSummary { ExportArn = e.ExportArn, ExportStatus = e.ExportStatus, ExportType = e.ExportType }).ToList(),
            NextToken = r.NextToken,
        });
}

internal static class ImportTableOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ImportTableRequest, ImportTableRequest, ImportTableResponse, Sdk.ImportTableResponse>(
        static r => new ImportTableRequest
        {
            // An idempotency token: the SDK's marshaller sends a new one when none is set.
            ClientToken = r.ClientToken ?? Guid.NewGuid().ToString(),
            S3BucketSource = AwsTransfers.Source(r.S3BucketSource),
            InputFormat = r.InputFormat?.Value,
            InputFormatOptions = AwsTransfers.Options(r.InputFormatOptions),
            InputCompressionType = r.InputCompressionType?.Value,
            TableCreationParameters = AwsTransfers.Table(r.TableCreationParameters),
        },
        static (db, r, ct) => db.ImportTableAsync(r, ct),
        static r => new Sdk.ImportTableResponse { ImportTableDescription = AwsTransfers.Import(r.ImportTableDescription) });
}

internal static class DescribeImportOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.DescribeImportRequest, DescribeImportRequest, DescribeImportResponse, Sdk.DescribeImportResponse>(
        static r => new DescribeImportRequest { ImportArn = r.ImportArn },
        static (db, r, ct) => db.DescribeImportAsync(r, ct),
        static r => new Sdk.DescribeImportResponse { ImportTableDescription = AwsTransfers.Import(r.ImportTableDescription) });
}

internal static class ListImportsOperation
{
    public static readonly AwsOperation Instance = AwsOperation.Create<Sdk.ListImportsRequest, ListImportsRequest, ListImportsResponse, Sdk.ListImportsResponse>(
        static r => new ListImportsRequest { TableArn = r.TableArn, PageSize = r.PageSize, NextToken = r.NextToken },
        static (db, r, ct) => db.ListImportsAsync(r, ct),
        static r => new Sdk.ListImportsResponse
        {
            ImportSummaryList = r.ImportSummaryList.Select(i => new Sdk.ImportSummary
            {
                ImportArn = i.ImportArn,
                ImportStatus = i.ImportStatus,
                TableArn = i.TableArn,
                S3BucketSource = AwsTransfers.Source(i.S3BucketSource),
                InputFormat = i.InputFormat,
                StartTime = AwsValues.Time(i.StartTime),
                EndTime = AwsValues.Time(i.EndTime),
            }).ToList(),
            NextToken = r.NextToken,
        });
}
