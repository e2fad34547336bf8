using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDynamo.Client.Changes;
using OrleansDynamo.Hosting;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Changes;

[Alias("odyn.ITableChangeHandlerGrain")]
public interface ITableChangeHandlerGrain : IGrainWithStringKey
{
    /// <summary>Starts delivery if it is not running (the keeper calls it on every silo, so a handler lost with its silo comes back).</summary>
    [Alias("Start")] Task Start();
}

[GenerateSerializer, Alias("odyn.TableChangeHandlerState")]
public sealed class TableChangeHandlerState
{
    [Id(0)] public ChangeCheckpoint? Checkpoint { get; set; }
    [Id(1)] public long Delivered { get; set; }
}

/// <summary>
/// One registered change handler (key: its name): reads its table's stream (<see cref="ChangeReader"/>), hands each
/// batch to the handler with bounded retries, and stores the checkpoint after each handled batch. A timer keeps the
/// activation alive; when its silo goes, the keeper on another silo starts it again, from the stored checkpoint.
/// </summary>
internal sealed partial class TableChangeHandlerGrain(
    [PersistentState("change-handler", OrleansDynamoOptions.MetadataStorageName)] IPersistentState<TableChangeHandlerState> state,
    IEnumerable<TableChangeHandlerRegistration> registrations,
    IDynamoDb dynamoDb,
    IServiceProvider services,
    ILogger<TableChangeHandlerGrain> logger)
    : Grain, ITableChangeHandlerGrain
{
    private TableChangeHandlerRegistration _registration = null!;
    private ITableChangeHandler _handler = null!;
    private ChangeReader? _reader;
    private IGrainTimer? _timer;
    private DateTime _pausedUntil;
    private string? _lastError;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _registration = registrations.FirstOrDefault(r => r.Name == this.GetPrimaryKeyString())
            ?? throw new InvalidOperationException($"No change handler named {this.GetPrimaryKeyString()} is registered in this silo");
        _handler = (ITableChangeHandler)ActivatorUtilities.GetServiceOrCreateInstance(services, _registration.HandlerType);
        return Task.CompletedTask;
    }

    public Task Start()
    {
        var period = _registration.Options.PollInterval;
        _timer ??= this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(TimeSpan.Zero, period) { KeepAlive = true });
        return Task.CompletedTask;
    }

    /// <summary>One tick: batches until the stream has nothing new (bounded, so the timer's next tick comes).</summary>
    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow < _pausedUntil) return;
        try
        {
            _reader ??= await ChangeReader.OpenAsync(dynamoDb, _registration.TableName, state.State.Checkpoint);
            for (var round = 0; round < 10 && !cancellationToken.IsCancellationRequested; round++)
            {
                var batch = await _reader.ReadAsync(_registration.Options.BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    // A shard read to its end moves the checkpoint without a change.
                    if (_reader.Checkpoint != state.State.Checkpoint) await SaveAsync(_reader.Checkpoint, 0);
                    return;
                }
                _lastError = null;
                if (!await HandleWithRetriesAsync(batch, cancellationToken)) return;
                await SaveAsync(batch[^1].Checkpoint, batch.Count);
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The stream or the store could not be read (or the table is not there yet): start over from the
            // stored checkpoint on the next tick. The same error again is not logged again.
            if (e.Message != _lastError) LogReadFailed(logger, e, _registration.Name);
            _lastError = e.Message;
            _reader = null;
        }
    }

    private async Task<bool> HandleWithRetriesAsync(IReadOnlyList<TableChange> batch, CancellationToken cancellationToken)
    {
        var options = _registration.Options;
        var delay = options.FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _handler.HandleAsync(batch, cancellationToken);
                return true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(logger, e, _registration.Name, attempt, options.MaxAttempts);
                if (attempt < options.MaxAttempts)
                {
                    await Task.Delay(delay, cancellationToken);
                    delay *= 2;
                    continue;
                }
                if (options.OnFailure == ChangeHandlerFailure.Skip)
                {
                    LogSkipped(logger, _registration.Name, batch.Count, batch[0].Record.EventId, batch[^1].Record.EventId);
                    return true;
                }
                // Pause: the same batch comes again, from the stored checkpoint.
                _pausedUntil = DateTime.UtcNow + options.PauseAfterFailure;
                _reader = null;
                return false;
            }
        }
    }

    private async Task SaveAsync(ChangeCheckpoint checkpoint, int delivered)
    {
        state.State.Checkpoint = checkpoint;
        state.State.Delivered += delivered;
        await state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change handler {Handler} could not read its stream; it starts again from its checkpoint")]
    private static partial void LogReadFailed(ILogger logger, Exception error, string handler);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change handler {Handler} failed (attempt {Attempt} of {MaxAttempts})")]
    private static partial void LogHandlerFailed(ILogger logger, Exception error, string handler, int attempt, int maxAttempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Change handler {Handler} skipped {Count} changes ({First} to {Last}) after its last attempt failed")]
    private static partial void LogSkipped(ILogger logger, string handler, int count, string first, string last);
}

/// <summary>On every silo: starts each registered change handler now and every few seconds, so one lost with its silo resumes elsewhere.</summary>
internal sealed class TableChangeHandlerKeeper(IGrainFactory grains, IEnumerable<TableChangeHandlerRegistration> registrations,
    IHostApplicationLifetime lifetime, ILogger<TableChangeHandlerKeeper> logger)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private int _started;

    public Task StartAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) _ = KeepAsync();
        return Task.CompletedTask;
    }

    private async Task KeepAsync()
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            foreach (var registration in registrations.DistinctBy(r => r.Name))
            {
                try
                {
                    await grains.GetGrain<ITableChangeHandlerGrain>(registration.Name).Start();
                }
                catch (Exception e) when (!lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Change handler {Handler} could not be started; the next round tries again", registration.Name);
                }
            }
        } while (!lifetime.ApplicationStopping.IsCancellationRequested && await Next(timer));
    }

    private async Task<bool> Next(PeriodicTimer timer)
    {
        try
        {
            return await timer.WaitForNextTickAsync(lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
