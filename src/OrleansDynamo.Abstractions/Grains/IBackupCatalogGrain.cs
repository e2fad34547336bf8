using OrleansDynamo.Model;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Grains;

/// <summary>
/// A backup as the catalog keeps it: what DescribeBackup tells, the CreateTable request that restores its table
/// (schema, indexes, throughput), and the store space that holds its items.
/// </summary>
[GenerateSerializer, Immutable, Alias("odyn.BackupEntry")]
public sealed record BackupEntry(
    [property: Id(0)] BackupDetails Details,
    [property: Id(1)] SourceTableDetails Source,
    [property: Id(2)] SourceTableFeatureDetails Features,
    [property: Id(3)] CreateTableRequest Definition,
    [property: Id(4)] string BackupId)
{
    public BackupDescription Describe() => new() { BackupDetails = Details, SourceTableDetails = Source, SourceTableFeatureDetails = Features };

    public BackupSummary Summary() => new()
    {
        TableName = Source.TableName, TableId = Source.TableId, TableArn = Source.TableArn ?? "", BackupArn = Details.BackupArn,
        BackupName = Details.BackupName, BackupCreationDateTime = Details.BackupCreationDateTime, BackupExpiryDateTime = Details.BackupExpiryDateTime,
        BackupStatus = Details.BackupStatus, BackupType = Details.BackupType, BackupSizeBytes = Details.BackupSizeBytes,
    };
}

/// <summary>The cluster's on-demand backups (key 0), kept as grain state; their items live in the partition store.</summary>
[Alias("odyn.IBackupCatalogGrain")]
public interface IBackupCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Takes a backup of a table: its instant is this call's; the copy runs on and the backup is CREATING until it is done.</summary>
    [Alias("Create")] Task<BackupDetails> Create(string tableName, string backupName);

    /// <summary>The backup by ARN; BackupNotFoundException when there is none.</summary>
    [Alias("Get"), Orleans.Concurrency.AlwaysInterleave] Task<BackupEntry> Get(string backupArn);

    [Alias("List"), Orleans.Concurrency.AlwaysInterleave] Task<ListBackupsResponse> List(ListBackupsRequest request);

    /// <summary>Deletes the backup and its items; BackupInUseException while it is being created.</summary>
    [Alias("Delete")] Task<BackupDescription> Delete(string backupArn);

    /// <summary>The copy of a backup's items finished: it is AVAILABLE, with its size.</summary>
    [Alias("Completed")] Task Completed(string backupArn, long itemCount, long sizeBytes);

    /// <summary>The copy failed: the backup and what was copied are deleted.</summary>
    [Alias("Failed")] Task Failed(string backupArn);

    /// <summary>After a silo start: drops backups whose copy a crash interrupted (they never became AVAILABLE).</summary>
    [Alias("Resume")] Task Resume();

    /// <summary>Whether a backup with this id exists: what the space cleaner asks before it deletes a backup's space.</summary>
    [Alias("Exists"), Orleans.Concurrency.AlwaysInterleave] Task<bool> Exists(string backupId);
}

/// <summary>Where a restore or an export reads: a backup's space, or a table space as of an instant (point-in-time recovery).</summary>
[GenerateSerializer, Immutable, Alias("odyn.ImageSource")]
public sealed record ImageSource(
    [property: Id(0)] string SpaceTable, [property: Id(1)] string SpaceIncarnation, [property: Id(2)] long? AsOfMicros)
{
    /// <summary>The owner part of a backup's space name, <c>~backup/&lt;id&gt;</c>: no table name starts with <c>~</c>.</summary>
    public const string BackupOwner = "~backup";

    public static ImageSource OfBackup(string backupId) => new(BackupOwner, backupId, null);
}

/// <summary>
/// Long data jobs, one activation per job (key: the job's id), each run in the background after its call returns:
/// the copy of a backup, a restore, an export, an import. A job reports its progress and end to whoever keeps its state.
/// </summary>
[Alias("odyn.ITransferJobGrain")]
public interface ITransferJobGrain : IGrainWithStringKey
{
    /// <summary>Opens the snapshot (the backup's instant) and returns; the copy runs on and ends in the backup catalog.</summary>
    [Alias("CopyBackup")] Task CopyBackup(string backupArn, string backupId, string tableName, string incarnation);

    /// <summary>Loads a new table from a source; ends in the table grain (RestoreCompleted).</summary>
    [Alias("Restore")] Task Restore(ImageSource source, string targetTable);

    /// <summary>Writes an export of a source to a folder; ends in the transfer catalog.</summary>
    [Alias("Export")] Task Export(ImageSource source, ExportDescription export, string folder);

    /// <summary>Loads a new table from files; ends in the transfer catalog.</summary>
    [Alias("Import")] Task Import(ImportTableDescription import, string folder);

    /// <summary>Whether this activation runs the job: false after a crash took the activation that ran it.</summary>
    [Alias("IsRunning"), Orleans.Concurrency.AlwaysInterleave] Task<bool> IsRunning();
}

/// <summary>The cluster's exports and imports (key 0), kept as grain state with their progress.</summary>
[Alias("odyn.ITransferCatalogGrain")]
public interface ITransferCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Starts an export of <paramref name="source"/> as <paramref name="draft"/> asks (bucket, prefix, instant): gives
    /// it its ARN, or answers the export a ClientToken already started.
    /// </summary>
    [Alias("StartExport")] Task<ExportDescription> StartExport(ExportDescription draft, ImageSource source);
    [Alias("UpdateExport")] Task UpdateExport(ExportDescription export);
    [Alias("GetExport"), Orleans.Concurrency.AlwaysInterleave] Task<ExportDescription> GetExport(string exportArn);
    [Alias("ListExports"), Orleans.Concurrency.AlwaysInterleave] Task<ListExportsResponse> ListExports(ListExportsRequest request);
    /// <summary>Creates the import's table (CREATING until the import ends) and starts reading its files.</summary>
    [Alias("StartImport")] Task<ImportTableDescription> StartImport(ImportTableDescription draft, CreateTableRequest table);
    [Alias("UpdateImport")] Task UpdateImport(ImportTableDescription import);
    [Alias("GetImport"), Orleans.Concurrency.AlwaysInterleave] Task<ImportTableDescription> GetImport(string importArn);
    [Alias("ListImports"), Orleans.Concurrency.AlwaysInterleave] Task<ListImportsResponse> ListImports(ListImportsRequest request);

    /// <summary>After a silo start: imports a crash interrupted start over (puts are idempotent); such exports fail.</summary>
    [Alias("Resume")] Task Resume();
}
