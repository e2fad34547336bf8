using OrleansDynamo.Errors;
using OrleansDynamo.Grains;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Streams;

namespace OrleansDynamo.Tables;

/// <summary>A stream of the table, as the table keeps it: named by its label; a disabled one stays readable for the retention.</summary>
[GenerateSerializer, Alias("odyn.StreamHistory")]
public sealed record StreamHistory(
    [property: Id(0)] string Label, [property: Id(1)] string ViewType, [property: Id(2)] double CreatedAt, [property: Id(3)] double? DisabledAt);

/// <summary>
/// The table's streams (StreamSpecification of CreateTable and UpdateTable). Turning a stream on creates a new
/// one, named by its creation time; turning it off keeps the old one readable for the retention. The partitions
/// learn of the change through their routing info and open or close their shards (<c>ChangeLog</c>).
/// </summary>
public sealed partial class TableGrain
{
    /// <summary>A stream of this table by label, for the Streams API; null when there is none (or it is past the retention).</summary>
    public Task<TableStream?> GetStream(string label)
    {
        var (description, info) = Current();
        var stream = ReadableStreams().FirstOrDefault(s => s.Label == label);
        return Task.FromResult(stream is null ? null : new TableStream(TableName, info.Incarnation, description.TableArn, description.KeySchema!,
            stream.Label, stream.ViewType, stream.CreatedAt, stream.DisabledAt is null));
    }

    public Task<IReadOnlyList<StreamSummary>> ListStreams()
    {
        var (description, _) = Current();
        return Task.FromResult<IReadOnlyList<StreamSummary>>(ReadableStreams()
            .Select(s => new StreamSummary { StreamArn = StreamNames.StreamArn(description.TableArn, s.Label), TableName = TableName, StreamLabel = s.Label })
            .ToList());
    }

    private IEnumerable<StreamHistory> ReadableStreams()
    {
        var horizon = clock.UnixTime - options.Value.StreamRetention.TotalSeconds;
        return state.State.Streams.Where(s => s.DisabledAt is null || s.DisabledAt > horizon);
    }

    private async Task<TableDescription> UpdateStreamAsync(StreamSpecification specification)
    {
        var enabled = state.State.Streams.Any(s => s.DisabledAt is null);
        if (specification.StreamEnabled == true)
        {
            if (enabled) throw DynamoErrors.StreamAlreadyEnabled(TableName);
            EnableStream(specification.StreamViewType!);
        }
        else
        {
            if (!enabled) throw DynamoErrors.NoStreamToDisable(TableName);
            DisableStream();
        }
        await state.WriteStateAsync();
        await RefreshPartitionsAsync(state.State.Info!);
        return state.State.Description!;
    }

    private void EnableStream(string viewType)
    {
        var now = clock.GetUtcNow();
        var label = StreamNames.Label(now);
        // Labels name streams: a second one within the same millisecond would take the first's name.
        if (state.State.Streams.Any(s => s.Label == label)) label = StreamNames.Label(now.AddMilliseconds(1));
        state.State.Streams = [.. ReadableStreams(), new StreamHistory(label, viewType, now.ToUnixTimeMilliseconds() / 1000.0, null)];
        state.State.Info = state.State.Info! with { Stream = new StreamInfo(label, viewType) };
        state.State.Description = state.State.Description! with
        {
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = viewType },
            LatestStreamLabel = label,
            LatestStreamArn = StreamNames.StreamArn(state.State.Description.TableArn, label),
        };
    }

    private void DisableStream()
    {
        var now = clock.UnixTime;
        state.State.Streams = state.State.Streams.Select(s => s.DisabledAt is null ? s with { DisabledAt = now } : s).ToList();
        state.State.Info = state.State.Info! with { Stream = null };
        // DynamoDB leaves StreamSpecification out once the stream is off, and keeps naming the latest stream.
        state.State.Description = state.State.Description! with { StreamSpecification = null };
    }
}
