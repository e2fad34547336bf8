using OrleansDynamo.Operations;

namespace OrleansDynamo.Samples.WorkerService;

/// <summary>Runs <see cref="OrdersWorkload"/> once, then stops the application.</summary>
public sealed class Worker(IDynamoDb dynamoDb, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await OrdersWorkload.RunAsync(dynamoDb, Console.Out, stoppingToken);
        lifetime.StopApplication();
    }
}
