using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Client;

/// <summary>
/// On-demand backups, point-in-time recovery, and restores: validated here, kept by the backup catalog and the table
/// grains, copied and loaded by data jobs (<c>Grains/Backups/</c>). A restore creates its table CREATING, with the
/// source's definition and the request's overrides checked as a CreateTable, and answers at once; the table turns
/// ACTIVE when its items are in.
/// </summary>
public sealed partial class DynamoDbClient
{
    private IBackupCatalogGrain Backups => grains.GetGrain<IBackupCatalogGrain>(0);

    public async Task<CreateBackupResponse> CreateBackupAsync(CreateBackupRequest request, CancellationToken cancellationToken = default)
    {
        CreateBackupValidator.Validate(request);
        return new CreateBackupResponse { BackupDetails = await Backups.Create(TableArns.NameOf(request.TableName!), request.BackupName!) };
    }

    public async Task<DescribeBackupResponse> DescribeBackupAsync(DescribeBackupRequest request, CancellationToken cancellationToken = default)
    {
        BackupArnValidator.Validate(request);
        return new DescribeBackupResponse { BackupDescription = (await Backups.Get(request.BackupArn!)).Describe() };
    }

    public async Task<DeleteBackupResponse> DeleteBackupAsync(DeleteBackupRequest request, CancellationToken cancellationToken = default)
    {
        BackupArnValidator.Validate(request);
        return new DeleteBackupResponse { BackupDescription = await Backups.Delete(request.BackupArn!) };
    }

    public async Task<ListBackupsResponse> ListBackupsAsync(ListBackupsRequest request, CancellationToken cancellationToken = default)
    {
        ListBackupsValidator.Validate(request);
        return await Backups.List(request);
    }

    public async Task<RestoreTableFromBackupResponse> RestoreTableFromBackupAsync(RestoreTableFromBackupRequest request,
        CancellationToken cancellationToken = default)
    {
        RestoreValidator.Validate(request);
        var backup = await Backups.Get(request.BackupArn!);
        if (backup.Details.BackupStatus != "AVAILABLE") throw DynamoErrors.BackupInUse(request.BackupArn!);
        var table = RestoreValidator.Target(backup.Definition, request.TargetTableName!, request.BillingModeOverride, request.ProvisionedThroughputOverride,
            request.OnDemandThroughputOverride, request.GlobalSecondaryIndexOverride, request.LocalSecondaryIndexOverride, request.SSESpecificationOverride);
        var summary = new RestoreSummary
        {
            SourceBackupArn = backup.Details.BackupArn, SourceTableArn = backup.Source.TableArn, RestoreDateTime = backup.Details.BackupCreationDateTime,
        };
        var description = await RestoreAsync(table, summary, ImageSource.OfBackup(backup.BackupId));
        return new RestoreTableFromBackupResponse { TableDescription = description };
    }

    public async Task<RestoreTableToPointInTimeResponse> RestoreTableToPointInTimeAsync(RestoreTableToPointInTimeRequest request,
        CancellationToken cancellationToken = default)
    {
        RestoreValidator.Validate(request);
        var sourceName = TableArns.NameOf(request.SourceTableName ?? request.SourceTableArn!);
        var source = await RecoverySourceAsync(sourceName, request.UseLatestRestorableTime == true ? null : request.RestoreDateTime, forExport: false);
        var table = RestoreValidator.Target(source.Definition, request.TargetTableName!, request.BillingModeOverride, request.ProvisionedThroughputOverride,
            request.OnDemandThroughputOverride, request.GlobalSecondaryIndexOverride, request.LocalSecondaryIndexOverride, request.SSESpecificationOverride);
        var summary = new RestoreSummary { SourceTableArn = source.Description.TableArn, RestoreDateTime = source.Instant };
        return new RestoreTableToPointInTimeResponse { TableDescription = await RestoreAsync(table, summary, source.Image) };
    }

    /// <summary>Creates the restored table (CREATING), which starts the job that fills it.</summary>
    private async Task<TableDescription> RestoreAsync(CreateTableRequest table, RestoreSummary summary, ImageSource source)
    {
        CreateTableValidator.Validate(table);
        var description = await Table(table.TableName!).CreateLoading(table, summary, source);
        _router.Forget(table.TableName!);
        return description;
    }

    public async Task<UpdateContinuousBackupsResponse> UpdateContinuousBackupsAsync(UpdateContinuousBackupsRequest request,
        CancellationToken cancellationToken = default)
    {
        UpdateContinuousBackupsValidator.Validate(request);
        var description = await OnBackupTableAsync(request.TableName!, t => t.UpdateContinuousBackups(request.PointInTimeRecoverySpecification!));
        return new UpdateContinuousBackupsResponse { ContinuousBackupsDescription = description };
    }

    public async Task<DescribeContinuousBackupsResponse> DescribeContinuousBackupsAsync(DescribeContinuousBackupsRequest request,
        CancellationToken cancellationToken = default)
    {
        TableNameValidator.Validate(request);
        return new DescribeContinuousBackupsResponse { ContinuousBackupsDescription = await OnBackupTableAsync(request.TableName!, t => t.DescribeContinuousBackups()) };
    }

    /// <summary>The table of a restore or export as of an instant; TableNotFoundException when there is no table.</summary>
    private Task<RecoverySource> RecoverySourceAsync(string tableName, double? at, bool forExport) =>
        OnBackupTableAsync(tableName, t => t.GetRecoverySource(at, forExport));

    /// <summary>Backup operations answer a missing table with TableNotFoundException, not ResourceNotFoundException.</summary>
    private async Task<T> OnBackupTableAsync<T>(string tableName, Func<ITableGrain, Task<T>> call)
    {
        try
        {
            return await call(Table(tableName));
        }
        catch (DynamoException e) when (e.ErrorType == DynamoErrorTypes.ResourceNotFound)
        {
            throw DynamoErrors.ContinuousBackupsTableNotFound(TableArns.NameOf(tableName));
        }
    }
}
