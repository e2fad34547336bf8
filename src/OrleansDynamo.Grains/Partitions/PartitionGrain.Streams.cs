using Microsoft.Extensions.Logging;

namespace OrleansDynamo.Partitions;

public sealed partial class PartitionGrain
{
    private const int TrimLimit = 1000;

    /// <summary>
    /// Deletes stream records past the retention, and recovery records past the recovery period, bounded per tick
    /// (readers never see them anyway: see StreamReader and TableImage).
    /// </summary>
    private void StartStreamTrim()
    {
        var period = options.Value.StreamTrimInterval;
        this.RegisterGrainTimer(async _ =>
        {
            if (!_serving) return;
            try
            {
                if (await _changes.TrimAsync(options.Value.StreamRetention, TrimLimit) is { Count: > 0 } trimmed) await _commits.EnqueueRecords(trimmed);
                if (await _recovery.TrimAsync(TrimLimit) is { Count: > 0 } expired) await _commits.EnqueueRecords(expired);
            }
            catch (Exception e)
            {
                LogTrimFailed(logger, e, _scope.ToString());
            }
        }, period, period);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Partition} could not trim its stream records; it tries again later")]
    private static partial void LogTrimFailed(ILogger logger, Exception error, string partition);
}
