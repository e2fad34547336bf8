using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansDynamo.Client;
using OrleansDynamo.Grains;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Storage;
using OrleansDynamo.Transfer;

namespace OrleansDynamo.Backups;

/// <summary>
/// Runs one long data job (key: the job's id) in the background of its activation, after the call that starts it
/// returns: a backup's copy, a restore, an export or an import. Each reads pages of items
/// (<see cref="TableImage"/> over a store snapshot, or the import's files) and writes them page by page: into the
/// backup's space, into the new table (through the silo's own <see cref="DynamoDbClient"/>, so indexes, counters and
/// splits are those of any write), or into export files. The activation stays alive while the job runs.
/// </summary>
public sealed partial class TransferJobGrain(IPartitionStore store, OrleansDynamoClock clock, IOptions<OrleansDynamoOptions> options, ILogger<TransferJobGrain> logger)
    : Grain, ITransferJobGrain
{
    /// <summary>Items per page read and written.</summary>
    internal const int PageSize = 1000;

    /// <summary>How often progress is reported while a job runs.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private Task? _running;

    public async Task CopyBackup(string backupArn, string backupId, string tableName, string incarnation)
    {
        if (Busy) return;
        var source = new StoreSpace(tableName, incarnation);
        var snapshot = await store.OpenSnapshotAsync([source]);
        Run(backupArn, () => CopyBackupAsync(snapshot, source, backupArn, backupId),
            () => GrainFactory.GetGrain<IBackupCatalogGrain>(0).Failed(backupArn));
    }

    public async Task Restore(ImageSource source, string targetTable)
    {
        if (Busy) return;
        var snapshot = await store.OpenSnapshotAsync([SpaceOf(source)]);
        Run(targetTable, () => RestoreAsync(snapshot, source, targetTable), () => GrainFactory.GetGrain<ITableGrain>(targetTable).LoadCompleted());
    }

    public async Task Export(ImageSource source, ExportDescription export, string folder)
    {
        if (Busy) return;
        var snapshot = await store.OpenSnapshotAsync([SpaceOf(source)]);
        Run(export.ExportArn, () => ExportAsync(snapshot, source, export, folder),
            () => Catalog.UpdateExport(export with { ExportStatus = "FAILED", EndTime = clock.UnixTime, FailureCode = "InternalError", FailureMessage = "The export could not be written" }));
    }

    public Task Import(ImportTableDescription import, string folder)
    {
        Run(import.ImportArn, () => ImportAsync(import, folder),
            () => Catalog.UpdateImport(import with { ImportStatus = "FAILED", EndTime = clock.UnixTime, FailureCode = "InternalError", FailureMessage = "The import could not be completed" }));
        return Task.CompletedTask;
    }

    public Task<bool> IsRunning() => Task.FromResult(Busy);

    /// <summary>A job of this activation still runs: a second start of it (a resume that raced it) is ignored.</summary>
    private bool Busy => _running is { IsCompleted: false };

    private ITransferCatalogGrain Catalog => GrainFactory.GetGrain<ITransferCatalogGrain>(0);

    private static StoreSpace SpaceOf(ImageSource source) => new(source.SpaceTable, source.SpaceIncarnation);

    /// <summary>Starts a job on the activation; a failure is logged and handed to <paramref name="failed"/>.</summary>
    private void Run(string job, Func<Task> work, Func<Task> failed)
    {
        if (!Busy) _running = RunAsync(job, work, failed);
    }

    private async Task RunAsync(string job, Func<Task> work, Func<Task> failed)
    {
        try
        {
            KeepAlive();
            await work();
            LogJobDone(logger, job);
        }
        catch (Exception e)
        {
            LogJobFailed(logger, e, job);
            try
            {
                await failed();
            }
            catch (Exception report)
            {
                LogJobFailed(logger, report, job);
            }
        }
    }

    private void KeepAlive() => DelayDeactivation(TimeSpan.FromMinutes(10));

    /// <summary>Pages of a job that reads a live table, each followed by a rest that keeps the job to its duty cycle.</summary>
    private async IAsyncEnumerable<List<StoreRecord>> PacedAsync(IAsyncEnumerable<List<StoreRecord>> pages)
    {
        var duty = Math.Clamp(options.Value.BackgroundDutyCycle, 0.01, 1);
        var work = Stopwatch.StartNew();
        await foreach (var page in pages)
        {
            yield return page;
            KeepAlive();
            if (duty < 1) await Task.Delay(work.Elapsed * ((1 - duty) / duty));
            work.Restart();
        }
    }

    private async Task CopyBackupAsync(IStoreSnapshot snapshot, StoreSpace source, string backupArn, string backupId)
    {
        long items = 0, bytes = 0;
        await using (snapshot)
        {
            var target = BackupSpaces.Of(backupId);
            await store.EnsureMapAsync(target, PartitionMap.Even(1));
            var opening = await store.OpenAsync(target, 0);
            await foreach (var page in PacedAsync(new TableImage(snapshot, source, null).ReadAsync(PageSize)))
            {
                await store.CommitAsync(target, 0, opening.Epoch, page.Select(r => new StoreWrite(RecordKind.Item, r.Key, r.Value)).ToList());
                items += page.Count;
                bytes += page.Sum(r => (long)r.Value.Length);
            }
        }
        await GrainFactory.GetGrain<IBackupCatalogGrain>(0).Completed(backupArn, items, bytes);
    }

    private async Task RestoreAsync(IStoreSnapshot snapshot, ImageSource source, string targetTable)
    {
        var client = new DynamoDbClient(GrainFactory);
        await using (snapshot)
        {
            await foreach (var page in new TableImage(snapshot, SpaceOf(source), source.AsOfMicros).ReadAsync(PageSize))
            {
                KeepAlive();
                await client.LoadItemsAsync(targetTable, page.Select(r => ItemCodec.Decode(r.Value)).ToList());
            }
        }
        await GrainFactory.GetGrain<ITableGrain>(targetTable).LoadCompleted();
    }

    private async Task ExportAsync(IStoreSnapshot snapshot, ImageSource source, ExportDescription export, string folder)
    {
        var summary = new Transfer.ExportSummary(export.ExportArn, export.TableArn, export.TableId, DateTimeOffset.FromUnixTimeMilliseconds((long)(export.StartTime * 1000)),
            DateTimeOffset.FromUnixTimeMilliseconds((long)(export.ExportTime * 1000)), export.S3Bucket, export.S3Prefix, export.S3SseAlgorithm, export.S3SseKmsKeyId);
        var reported = clock.GetUtcNow();
        long items = 0;
        ExportResult result;
        await using (snapshot)
        await using (var writer = new DynamoJsonExportWriter(folder, export.ExportArn[(export.ExportArn.LastIndexOf('/') + 1)..], summary, time: clock))
        {
            await foreach (var page in PacedAsync(new TableImage(snapshot, SpaceOf(source), source.AsOfMicros).ReadAsync(PageSize)))
            {
                foreach (var record in page) await writer.WriteAsync(ItemCodec.Decode(record.Value));
                items += page.Count;
                if (clock.GetUtcNow() - reported < ProgressInterval) continue;
                reported = clock.GetUtcNow();
                await Catalog.UpdateExport(export with { ItemCount = items });
            }
            result = await writer.CompleteAsync();
        }
        await Catalog.UpdateExport(export with
        {
            ExportStatus = "COMPLETED", EndTime = clock.UnixTime, ItemCount = result.ItemCount, BilledSizeBytes = result.BilledSizeBytes,
            ExportManifest = result.ExportManifest,
        });
    }

    private async Task ImportAsync(ImportTableDescription import, string folder)
    {
        var client = new DynamoDbClient(GrainFactory);
        var table = import.TableCreationParameters!.TableName!;
        var info = await GrainFactory.GetGrain<ITableGrain>(table).GetInfo();
        var options = ImportOptions.Of(import, info);
        var reported = clock.GetUtcNow();
        var progress = import;
        var page = new List<Item>(PageSize);
        async Task FlushAsync()
        {
            if (page.Count == 0) return;
            await client.LoadItemsAsync(table, page);
            progress = progress with { ImportedItemCount = progress.ImportedItemCount + page.Count };
            page.Clear();
        }
        await foreach (var record in ImportFileReader.ReadAsync(folder, options))
        {
            progress = progress with { ProcessedItemCount = progress.ProcessedItemCount + 1, ProcessedSizeBytes = record.BytesRead };
            // Index keys of the wrong type fail only their item, not the page it would be written with.
            var error = record.IsError ? record.Error : IndexError(record.Item, info) is { } reason ? new ImportItemError("", 0, reason) : null;
            if (error is not null)
            {
                progress = progress with { ErrorCount = progress.ErrorCount + 1 };
                LogImportError(logger, import.ImportArn, error.File, error.Line, error.Message);
                continue;
            }
            page.Add(record.Item!);
            if (page.Count < PageSize) continue;
            KeepAlive();
            await FlushAsync();
            if (clock.GetUtcNow() - reported < ProgressInterval) continue;
            reported = clock.GetUtcNow();
            await Catalog.UpdateImport(progress);
        }
        await FlushAsync();
        await GrainFactory.GetGrain<ITableGrain>(table).LoadCompleted();
        await Catalog.UpdateImport(progress with { ImportStatus = "COMPLETED", EndTime = clock.UnixTime });
    }

    /// <summary>Why an item cannot go into the table's secondary indexes (a key attribute of the wrong type, say); null when it can.</summary>
    private static string? IndexError(Item item, TableInfo table)
    {
        try
        {
            Validation.IndexRules.CheckItem(item, table);
            return null;
        }
        catch (Errors.DynamoException e)
        {
            return e.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data job {Job} finished")]
    private static partial void LogJobDone(ILogger logger, string job);

    [LoggerMessage(Level = LogLevel.Error, Message = "Data job {Job} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception error, string job);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {Import}: {File} line {Line} was not imported: {Reason}")]
    private static partial void LogImportError(ILogger logger, string import, string file, long line, string reason);
}
