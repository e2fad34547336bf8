using Microsoft.Extensions.Options;
using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Operations;
using OrleansDynamo.Transfer;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Backups;

[GenerateSerializer, Alias("odyn.TransferCatalogState")]
public sealed class TransferCatalogState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public List<ExportDescription> Exports { get; set; } = [];
    [Id(1)] public List<ImportTableDescription> Imports { get; set; } = [];
}

/// <summary>
/// The cluster's exports and imports with their progress, as DescribeExport/ListExports and DescribeImport/ListImports
/// tell them. S3 buckets are folders under <see cref="OrleansDynamoOptions.ExportRoot"/> (<see cref="BucketFolders"/>);
/// each transfer runs in its own job (<see cref="TransferJobGrain"/>), which reports here.
/// </summary>
public sealed class TransferCatalogGrain(
    [PersistentState("transfers", OrleansDynamoOptions.MetadataStorageName)] IPersistentState<TransferCatalogState> state,
    OrleansDynamoClock clock,
    IOptions<OrleansDynamoOptions> options)
    : Grain, ITransferCatalogGrain
{
    private const int DefaultPageSize = 25;

    public async Task<ExportDescription> StartExport(ExportDescription draft, ImageSource source)
    {
        if (draft.ClientToken is { } token && state.State.Exports.Find(e => e.ClientToken == token) is { } earlier)
            return SameExport(earlier, draft) ? earlier : throw DynamoErrors.ExportConflict();
        var folder = Folders.Resolve(draft.S3Bucket, draft.S3Prefix);
        var now = clock.GetUtcNow();
        var export = draft with { ExportArn = $"{draft.TableArn}/export/{BackupSpaces.NewId(now)}", StartTime = now.ToUnixTimeMilliseconds() / 1000.0 };
        state.State.Exports.Add(export);
        await state.WriteStateAsync();
        await ExportJob(export).Export(source, export, folder);
        return export;
    }

    private static bool SameExport(ExportDescription a, ExportDescription b) =>
        a.TableArn == b.TableArn && a.S3Bucket == b.S3Bucket && a.S3Prefix == b.S3Prefix && a.ExportFormat == b.ExportFormat;

    public async Task UpdateExport(ExportDescription export)
    {
        var index = state.State.Exports.FindIndex(e => e.ExportArn == export.ExportArn);
        if (index < 0) return;
        state.State.Exports[index] = export;
        await state.WriteStateAsync();
    }

    public Task<ExportDescription> GetExport(string exportArn) =>
        Task.FromResult(state.State.Exports.Find(e => e.ExportArn == exportArn) ?? throw DynamoErrors.ExportNotFound(exportArn));

    public Task<ListExportsResponse> ListExports(ListExportsRequest request)
    {
        var (page, next) = CatalogPages.After(state.State.Exports.Where(e => request.TableArn is null || e.TableArn == request.TableArn).ToList(),
            e => e.ExportArn, request.NextToken, request.MaxResults ?? DefaultPageSize);
        return Task.FromResult(new ListExportsResponse
        {
            ExportSummaries = page.Select(e => new Operations.ExportSummary { ExportArn = e.ExportArn, ExportStatus = e.ExportStatus, ExportType = e.ExportType }).ToList(),
            NextToken = next,
        });
    }

    public async Task<ImportTableDescription> StartImport(ImportTableDescription draft, CreateTableRequest table)
    {
        if (draft.ClientToken is { } token && state.State.Imports.Find(i => i.ClientToken == token) is { } earlier)
            return earlier.S3BucketSource == draft.S3BucketSource && earlier.TableCreationParameters?.TableName == table.TableName
                ? earlier : throw DynamoErrors.ImportConflict();
        var folder = Folders.Resolve(draft.S3BucketSource!.S3Bucket!, draft.S3BucketSource.S3KeyPrefix);
        var description = await GrainFactory.GetGrain<ITableGrain>(table.TableName!).CreateLoading(table, null, null);
        var now = clock.GetUtcNow();
        var import = draft with
        {
            ImportArn = $"{description.TableArn}/import/{BackupSpaces.NewId(now)}", TableArn = description.TableArn, TableId = description.TableId,
            StartTime = now.ToUnixTimeMilliseconds() / 1000.0,
        };
        state.State.Imports.Add(import);
        await state.WriteStateAsync();
        await ImportJob(import).Import(import, folder);
        return import;
    }

    private ITransferJobGrain ImportJob(ImportTableDescription import) => GrainFactory.GetGrain<ITransferJobGrain>("import/" + import.ImportArn);

    private ITransferJobGrain ExportJob(ExportDescription export) => GrainFactory.GetGrain<ITransferJobGrain>("export/" + export.ExportArn);

    public async Task Resume()
    {
        foreach (var import in state.State.Imports.Where(i => i.ImportStatus == "IN_PROGRESS").ToList())
        {
            if (await ImportJob(import).IsRunning()) continue;
            var restart = import with { ProcessedItemCount = 0, ProcessedSizeBytes = 0, ImportedItemCount = 0, ErrorCount = 0 };
            await UpdateImport(restart);
            await ImportJob(import).Import(restart, Folders.Resolve(import.S3BucketSource!.S3Bucket!, import.S3BucketSource.S3KeyPrefix));
        }
        // An export's instant may have left the recovery window since: it fails, and can be asked for again.
        foreach (var export in state.State.Exports.Where(e => e.ExportStatus == "IN_PROGRESS").ToList())
            if (!await ExportJob(export).IsRunning())
                await UpdateExport(export with { ExportStatus = "FAILED", EndTime = clock.UnixTime, FailureCode = "Interrupted", FailureMessage = "The server restarted during the export" });
    }

    public async Task UpdateImport(ImportTableDescription import)
    {
        var index = state.State.Imports.FindIndex(i => i.ImportArn == import.ImportArn);
        if (index < 0) return;
        state.State.Imports[index] = import;
        await state.WriteStateAsync();
    }

    public Task<ImportTableDescription> GetImport(string importArn) =>
        Task.FromResult(state.State.Imports.Find(i => i.ImportArn == importArn) ?? throw DynamoErrors.ImportNotFound(importArn));

    public Task<ListImportsResponse> ListImports(ListImportsRequest request)
    {
        var (page, next) = CatalogPages.After(state.State.Imports.Where(i => request.TableArn is null || i.TableArn == request.TableArn).ToList(),
            i => i.ImportArn, request.NextToken, request.PageSize ?? DefaultPageSize);
        return Task.FromResult(new ListImportsResponse
        {
            ImportSummaryList = page.Select(i => new ImportSummary
            {
                ImportArn = i.ImportArn, ImportStatus = i.ImportStatus, TableArn = i.TableArn, S3BucketSource = i.S3BucketSource,
                InputFormat = i.InputFormat, StartTime = i.StartTime, EndTime = i.EndTime,
            }).ToList(),
            NextToken = next,
        });
    }

    private BucketFolders Folders => new(options.Value.ExportRoot);
}
