using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Tables;

/// <summary>Point-in-time recovery as the table keeps it: its window, and since when every partition logs.</summary>
[GenerateSerializer, Alias("odyn.RecoveryState")]
public sealed record RecoveryState([property: Id(0)] int RecoveryPeriodInDays, [property: Id(1)] double EnabledAt);

/// <summary>
/// Continuous backups (UpdateContinuousBackups, DescribeContinuousBackups), the restore window, and the state of a
/// table being restored. Turning recovery on hands every partition the new routing info and waits for all of them,
/// so from the recorded instant on every commit logs the images it replaces (<c>RecoveryLog</c>).
/// </summary>
public sealed partial class TableGrain
{
    public async Task<ContinuousBackupsDescription> UpdateContinuousBackups(PointInTimeRecoverySpecification specification)
    {
        var (_, info) = Current();
        var current = state.State.Recovery;
        if (specification.PointInTimeRecoveryEnabled == true)
        {
            var days = specification.RecoveryPeriodInDays ?? current?.RecoveryPeriodInDays ?? UpdateContinuousBackupsValidator.DefaultRecoveryPeriodInDays;
            state.State.Info = info with { Recovery = new RecoveryInfo(days) };
            await RefreshPartitionsAsync(state.State.Info);
            // The window starts once every partition logs: earlier instants may lack changes.
            state.State.Recovery = new RecoveryState(days, current?.EnabledAt ?? clock.UnixTime);
        }
        else
        {
            state.State.Info = info with { Recovery = null };
            state.State.Recovery = null;
            await RefreshPartitionsAsync(state.State.Info);
        }
        await state.WriteStateAsync();
        return DescribeRecovery();
    }

    public Task<ContinuousBackupsDescription> DescribeContinuousBackups()
    {
        Current();
        return Task.FromResult(DescribeRecovery());
    }

    private ContinuousBackupsDescription DescribeRecovery() => new()
    {
        ContinuousBackupsStatus = "ENABLED",
        PointInTimeRecoveryDescription = state.State.Recovery is { } recovery && RecoveryWindow() is var (earliest, latest)
            ? new PointInTimeRecoveryDescription
            {
                PointInTimeRecoveryStatus = "ENABLED", RecoveryPeriodInDays = recovery.RecoveryPeriodInDays,
                EarliestRestorableDateTime = earliest, LatestRestorableDateTime = latest,
            }
            : new PointInTimeRecoveryDescription { PointInTimeRecoveryStatus = "DISABLED" },
    };

    /// <summary>The instants a restore or export can take: from recovery's start (or the window's) to now.</summary>
    private (double Earliest, double Latest) RecoveryWindow()
    {
        var recovery = state.State.Recovery!;
        // In microseconds, as commits are stamped: a write acknowledged just before the request is inside "now".
        var now = clock.UnixMicroseconds / 1_000_000.0;
        return (Math.Max(recovery.EnabledAt, now - TimeSpan.FromDays(recovery.RecoveryPeriodInDays).TotalSeconds), now);
    }

    /// <summary>
    /// The source of a restore or export of this table as of <paramref name="at"/> (null: the latest restorable
    /// time), with the table's definition and ARN. PointInTimeRecoveryUnavailableException when recovery is off,
    /// InvalidRestoreTimeException (InvalidExportTimeException for an export) outside the window.
    /// </summary>
    public Task<RecoverySource> GetRecoverySource(double? at, bool forExport)
    {
        var (description, info) = Current();
        if (state.State.Recovery is null) throw DynamoErrors.PointInTimeRecoveryUnavailable(TableName);
        var (earliest, latest) = RecoveryWindow();
        var instant = at ?? latest;
        if (instant < earliest || instant > latest)
            throw forExport ? DynamoErrors.InvalidExportTime(earliest, latest) : DynamoErrors.InvalidRestoreTime(earliest, latest);
        return Task.FromResult(new RecoverySource(new ImageSource(TableName, info.Incarnation, (long)Math.Round(instant * 1_000_000)), instant,
            Backups.BackupDefinitions.Of(description), description));
    }

    /// <summary>
    /// Creates a table that a restore (with its RestoreSummary) or an import fills: CREATING until
    /// <see cref="LoadCompleted"/>. TableAlreadyExistsException, as restores answer, when the name is taken.
    /// </summary>
    public async Task<TableDescription> CreateLoading(CreateTableRequest request, RestoreSummary? summary, ImageSource? source)
    {
        if (state.State.Description is not null) throw summary is null ? DynamoErrors.TableAlreadyExists(TableName) : DynamoErrors.TargetTableExists(TableName);
        await Create(request);
        state.State.Loading = true;
        state.State.LoadSource = source;
        state.State.Description = state.State.Description! with { TableStatus = "CREATING", RestoreSummary = summary is null ? null : summary with { RestoreInProgress = true } };
        await state.WriteStateAsync();
        if (source is not null) await RestoreJob.Restore(source, TableName);
        return state.State.Description;
    }

    /// <summary>The job that fills this incarnation by a restore.</summary>
    private ITransferJobGrain RestoreJob => GrainFactory.GetGrain<ITransferJobGrain>($"restore/{TableName}/{state.State.Info!.Incarnation}");

    /// <summary>At activation: a restore whose job a crash took starts again (its puts are idempotent; a point in time is read again).</summary>
    private async Task ResumeRestoreAsync()
    {
        if (state.State is not { Loading: true, LoadSource: { } source }) return;
        try
        {
            if (!await RestoreJob.IsRunning()) await RestoreJob.Restore(source, TableName);
        }
        catch (Exception e)
        {
            LogRestoreResumeFailed(logger, e, TableName);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Could not resume the restore of table {Table}; it resumes at the table's next activation")]
    private static partial void LogRestoreResumeFailed(Microsoft.Extensions.Logging.ILogger logger, Exception error, string table);

    public async Task LoadCompleted()
    {
        if (state.State is not { Loading: true, Description: { } description }) return;
        state.State.Loading = false;
        state.State.LoadSource = null;
        state.State.Description = description with
        {
            TableStatus = "ACTIVE", RestoreSummary = description.RestoreSummary is { } summary ? summary with { RestoreInProgress = false } : null,
        };
        await state.WriteStateAsync();
    }

    /// <summary>A table being filled by a restore or an import cannot be changed or deleted until it is ACTIVE.</summary>
    private void EnsureNotRestoring()
    {
        if (state.State.Loading) throw DynamoErrors.TableBeingFilled(TableName);
    }
}
