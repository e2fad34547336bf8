using System.Net;
using Amazon.DynamoDBv2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansDynamo.Client.AwsSdk;
using OrleansDynamo.Client.Hosting;

namespace OrleansDynamo.Samples.AwsSdkApp;

/// <summary>
/// An application written against the AWS SDK (<see cref="IAmazonDynamoDB"/>, <c>DynamoDBContext</c>), running on
/// OrleansDynamo through the Orleans client. Start the server first, then <c>dotnet run --project samples/AwsSdkApp</c>.
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        using var host = CreateHost(args);
        await host.StartAsync();
        await MusicLibrary.RunAsync(host.Services.GetRequiredService<IAmazonDynamoDB>(), Console.Out);
        await host.StopAsync();
    }

    /// <summary>The application's host; <c>--Gateway host:port</c> names the OrleansDynamo gateway (30000 by default).</summary>
    public static IHost CreateHost(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var gateway = IPEndPoint.Parse(builder.Configuration["Gateway"] ?? "127.0.0.1:30000");
        builder.UseOrleansClient(client => client.UseOrleansDynamoGateways([gateway]));

        // On AWS this line was: builder.Services.AddAWSService<IAmazonDynamoDB>();
        builder.Services.AddOrleansDynamoAwsSdk();

        return builder.Build();
    }
}
