using System.Net;
using OrleansDynamo.Client.Hosting;

namespace OrleansDynamo.Samples.WorkerService;

/// <summary>
/// A .NET worker that talks to a running OrleansDynamo server through the Orleans client: no HTTP, no JSON.
/// Start the server first (<c>dotnet run --project src/OrleansDynamo.Server -- --in-memory</c>), then
/// <c>dotnet run --project samples/WorkerService</c>, optionally with <c>--Gateway 127.0.0.1:30000</c>.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var gateway = IPEndPoint.Parse(builder.Configuration["Gateway"] ?? "127.0.0.1:30000");
        // The one line that connects to OrleansDynamo and registers IDynamoDb.
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([gateway]));
        builder.Services.AddHostedService<Worker>();
        await builder.Build().RunAsync();
    }
}
