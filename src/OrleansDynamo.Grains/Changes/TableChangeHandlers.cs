using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansDynamo.Client.Changes;

namespace OrleansDynamo.Changes;

/// <summary>
/// Receives a table's changes inside the silo, in place of a Lambda trigger. Batches come in order per item,
/// at least once: a batch whose handling fails is retried, and after a restart or a move of the handler the
/// delivery resumes after the last batch that was handled (its checkpoint is durable). Handlers should be
/// idempotent (a change's <c>Record.EventId</c> is unique).
/// </summary>
public interface ITableChangeHandler
{
    Task HandleAsync(IReadOnlyList<TableChange> changes, CancellationToken cancellationToken);
}

/// <summary>What happens to a batch whose handling failed <see cref="TableChangeHandlerOptions.MaxAttempts"/> times.</summary>
public enum ChangeHandlerFailure
{
    /// <summary>Delivery pauses for <see cref="TableChangeHandlerOptions.PauseAfterFailure"/>, then the same batch is tried again (nothing is lost).</summary>
    Pause,
    /// <summary>The batch is logged as skipped and delivery goes on with the next (for handlers that must not hold up the rest).</summary>
    Skip,
}

public sealed class TableChangeHandlerOptions
{
    /// <summary>Attempts per batch before <see cref="OnFailure"/> applies; between them the wait doubles from <see cref="FirstRetryDelay"/>.</summary>
    public int MaxAttempts { get; set; } = 5;
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);
    public ChangeHandlerFailure OnFailure { get; set; } = ChangeHandlerFailure.Pause;
    public TimeSpan PauseAfterFailure { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Most changes per shard in one batch.</summary>
    public int BatchSize { get; set; } = 100;
    /// <summary>How often the handler looks for new changes when there were none.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>One registered handler: its name (unique in the cluster), its table, its type and options.</summary>
public sealed record TableChangeHandlerRegistration(string Name, string TableName, Type HandlerType, TableChangeHandlerOptions Options);

public static class TableChangeHandlerSiloBuilderExtensions
{
    /// <summary>
    /// Delivers the changes of <paramref name="tableName"/>'s stream to a <typeparamref name="THandler"/> (created
    /// from the silo's services) in one place in the cluster, as a grain with a durable checkpoint. Register it on
    /// every silo. <paramref name="name"/> (default: the type's name) names its checkpoint: keep it to resume, change
    /// it to start again from the oldest record kept. The table needs a stream.
    /// </summary>
    public static ISiloBuilder AddTableChangeHandler<THandler>(this ISiloBuilder builder, string tableName, Action<TableChangeHandlerOptions>? configure = null,
        string? name = null) where THandler : class, ITableChangeHandler
    {
        var options = new TableChangeHandlerOptions();
        configure?.Invoke(options);
        builder.Services.AddSingleton(new TableChangeHandlerRegistration(name ?? typeof(THandler).Name, tableName, typeof(THandler), options));
        builder.Services.TryAddSingleton<TableChangeHandlerKeeper>();
        builder.AddStartupTask((services, _) => services.GetRequiredService<TableChangeHandlerKeeper>().StartAsync());
        return builder;
    }
}
