using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansDynamo.Cli;

/// <summary>Where a long operation stands, as one poll saw it.</summary>
/// <param name="Done">No more polling: it completed, failed or was cancelled (the caller tells which).</param>
/// <param name="Status">The server's status word, shown beside the bar.</param>
/// <param name="Items">Items done so far, if the server says.</param>
/// <param name="Total">Items to do, if known; without it the bar is indeterminate.</param>
/// <param name="Failed">It ended but did not succeed: the bar is left where it stopped.</param>
internal readonly record struct Step(bool Done, string Status, long? Items = null, long? Total = null, bool Failed = false);

/// <summary>
/// Waits for a long operation on the server (backup, restore, export, import) by polling every 500 ms, with a
/// Spectre progress bar, items/s and an ETA where a person watches. Ctrl+C stops the waiting only: the operation
/// goes on on the server, and the message says how to follow it.
/// </summary>
internal static class ProgressWatcher
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Polls <paramref name="poll"/> until <paramref name="read"/> says done, and answers the last response.
    /// On Ctrl+C throws <see cref="StoppedWaitingException"/> with <paramref name="stillRunning"/> as its message.
    /// </summary>
    /// <param name="counted">The server reports items done: a bar with items/s and an ETA, else a spinner and the time taken.</param>
    public static async Task<T> WaitAsync<T>(Output output, string label, Func<CancellationToken, Task<T>> poll, Func<T, Step> read,
        string stillRunning, CancellationToken cancellation, bool counted = true)
    {
        try
        {
            if (!output.Live) return await PollAsync(poll, read, null, cancellation);
            T last = default!;
            ProgressColumn[] columns = counted
                ? [new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ItemsPerSecondColumn(), new RemainingTimeColumn(), new SpinnerColumn()]
                : [new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn()];
            await output.Console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(columns)
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(label), maxValue: 1);
                    task.IsIndeterminate = true;
                    last = await PollAsync(poll, read, step => Show(task, label, step), cancellation);
                });
            return last;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new StoppedWaitingException(stillRunning);
        }
    }

    private static async Task<T> PollAsync<T>(Func<CancellationToken, Task<T>> poll, Func<T, Step> read, Action<Step>? show, CancellationToken cancellation)
    {
        while (true)
        {
            var response = await poll(cancellation);
            var step = read(response);
            show?.Invoke(step);
            if (step.Done) return response;
            await Task.Delay(Interval, cancellation);
        }
    }

    private static void Show(ProgressTask task, string label, Step step)
    {
        var items = step.Items is { } n ? $", {n.ToString("N0", CultureInfo.InvariantCulture)} items" : "";
        task.Description = Markup.Escape($"{label} ({step.Status}{items})");
        if (step.Items is { } done)
        {
            // Counts can pass an estimate (a table's ItemCount lags its writes): the bar then grows with them.
            var total = Math.Max(step.Total ?? 0, done);
            task.IsIndeterminate = total == 0 || (step.Total is null && !step.Done);
            task.MaxValue = Math.Max(total, 1);
            task.Value = done;
        }
        if (step.Done)
        {
            task.IsIndeterminate = false;
            if (!step.Failed) task.Value = task.MaxValue = Math.Max(step.Items ?? 1, 1);
            task.StopTask();
        }
    }

    /// <summary>Spectre's speed column counts bytes; these are items. Once done, the average over the whole run.</summary>
    private sealed class ItemsPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            // An operation done within one poll leaves Spectre a single sample, from which it cannot tell a rate.
            var speed = task.IsFinished && task.ElapsedTime is { TotalSeconds: > 0 } elapsed ? task.Value / elapsed.TotalSeconds : task.Speed;
            return new Text(speed is { } s ? $"{s.ToString("N0", CultureInfo.InvariantCulture)} items/s" : "", new Style(Color.Grey));
        }
    }
}
