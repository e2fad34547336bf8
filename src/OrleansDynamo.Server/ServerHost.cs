using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OrleansDynamo.Client;
using OrleansDynamo.Hosting;
using OrleansDynamo.Operations;
using OrleansDynamo.Server.Protocol;
using OrleansDynamo.Storage.Embedded;

namespace OrleansDynamo.Server;

/// <summary>Builds the server: one Orleans silo hosting the OrleansDynamo grains, and the DynamoDB HTTP endpoint.</summary>
public static class ServerHost
{
    public static WebApplication Build(string[] args)
    {
        args = ServerOptions.NormalizeArguments(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddEnvironmentVariables("ODYN_");
        builder.Configuration.AddCommandLine(args, ServerOptions.SwitchMappings);
        var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddSingleton(options);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(options.Port);
            kestrel.Limits.MaxRequestBodySize = null; // The endpoint enforces DynamoDB's own 16 MB limit.
        });
        builder.UseOrleans(silo =>
        {
            // Loopback endpoints and in-process membership: one silo on this machine.
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
            if (!options.InMemory) silo.AddOrleansDynamoEmbeddedStorage(options.DataDir);
            silo.AddOrleansDynamo(dynamo =>
            {
                dynamo.InitialPartitionCount = options.InitialPartitions;
                dynamo.GroupCommit = options.GroupCommit;
            });
        });
        builder.Services.AddSingleton<IDynamoDb>(sp => new DynamoDbClient(sp.GetRequiredService<IGrainFactory>()));

        var app = builder.Build();
        app.MapDynamoDb();
        app.Lifetime.ApplicationStarted.Register(() => PrintListening(app, options));
        return app;
    }

    /// <summary>The base address the DynamoDB endpoint listens on, once started.</summary>
    public static Uri GetEndpoint(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port;
        return new Uri($"http://localhost:{port}");
    }

    private static void PrintListening(WebApplication app, ServerOptions options) =>
        Console.WriteLine($"OrleansDynamo listening: DynamoDB API at {GetEndpoint(app)}, Orleans gateway on port {options.GatewayPort}, storage: {options.StorageDescription}");
}
