using OrleansDynamo.Grains;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>
/// Export to and import from "S3", which here is a folder per bucket under the server's export root: validated
/// here, kept with their progress by the transfer catalog, run by data jobs (<c>Grains/Backups/</c>). An export reads
/// the table as of its ExportTime, so it needs point-in-time recovery, as in DynamoDB.
/// </summary>
public sealed partial class DynamoDbClient
{
    private ITransferCatalogGrain Transfers => grains.GetGrain<ITransferCatalogGrain>(0);

    public async Task<ExportTableToPointInTimeResponse> ExportTableToPointInTimeAsync(ExportTableToPointInTimeRequest request,
        CancellationToken cancellationToken = default)
    {
        ExportTableToPointInTimeValidator.Validate(request);
        var source = await RecoverySourceAsync(TableArns.NameOf(request.TableArn!), request.ExportTime, forExport: true);
        var draft = new ExportDescription
        {
            TableArn = source.Description.TableArn, TableId = source.Description.TableId, ExportTime = source.Instant, ClientToken = request.ClientToken,
            S3Bucket = request.S3Bucket!, S3BucketOwner = request.S3BucketOwner, S3Prefix = request.S3Prefix,
            S3SseAlgorithm = request.S3SseAlgorithm ?? "AES256", S3SseKmsKeyId = request.S3SseKmsKeyId,
            ExportFormat = request.ExportFormat ?? "DYNAMODB_JSON", ExportType = request.ExportType ?? "FULL_EXPORT",
        };
        return new ExportTableToPointInTimeResponse { ExportDescription = await Transfers.StartExport(draft, source.Image) };
    }

    public async Task<DescribeExportResponse> DescribeExportAsync(DescribeExportRequest request, CancellationToken cancellationToken = default)
    {
        TransferListValidator.Validate(request);
        return new DescribeExportResponse { ExportDescription = await Transfers.GetExport(request.ExportArn!) };
    }

    public async Task<ListExportsResponse> ListExportsAsync(ListExportsRequest request, CancellationToken cancellationToken = default)
    {
        TransferListValidator.Validate(request);
        return await Transfers.ListExports(request);
    }

    public async Task<ImportTableResponse> ImportTableAsync(ImportTableRequest request, CancellationToken cancellationToken = default)
    {
        ImportTableValidator.Validate(request);
        var table = ImportTableValidator.TableOf(request.TableCreationParameters!);
        CreateTableValidator.Validate(table);
        var draft = new ImportTableDescription
        {
            ClientToken = request.ClientToken, S3BucketSource = request.S3BucketSource, InputFormat = request.InputFormat!,
            InputFormatOptions = request.InputFormatOptions, InputCompressionType = request.InputCompressionType ?? "NONE",
            TableCreationParameters = request.TableCreationParameters,
        };
        var import = await Transfers.StartImport(draft, table);
        _router.Forget(table.TableName!);
        return new ImportTableResponse { ImportTableDescription = import };
    }

    public async Task<DescribeImportResponse> DescribeImportAsync(DescribeImportRequest request, CancellationToken cancellationToken = default)
    {
        TransferListValidator.Validate(request);
        return new DescribeImportResponse { ImportTableDescription = await Transfers.GetImport(request.ImportArn!) };
    }

    public async Task<ListImportsResponse> ListImportsAsync(ListImportsRequest request, CancellationToken cancellationToken = default)
    {
        TransferListValidator.Validate(request);
        return await Transfers.ListImports(request);
    }
}
