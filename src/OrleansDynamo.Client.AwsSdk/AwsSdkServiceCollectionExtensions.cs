using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansDynamo.Client.Hosting;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>Registers the AWS SDK's <see cref="IAmazonDynamoDB"/> served by OrleansDynamo.</summary>
public static class AwsSdkServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAmazonDynamoDB"/> as an <see cref="OrleansDynamoAmazonClient"/> over <see cref="IDynamoDb"/>
    /// (itself over the registered Orleans client or silo). Use it in place of <c>services.AddAWSService&lt;IAmazonDynamoDB&gt;()</c>:
    /// everything that takes an <see cref="IAmazonDynamoDB"/>, such as <c>DynamoDBContext</c>, then runs on OrleansDynamo.
    /// </summary>
    public static IServiceCollection AddOrleansDynamoAwsSdk(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOrleansDynamoClient();
        services.RemoveAll<IAmazonDynamoDB>();
        services.AddSingleton<IAmazonDynamoDB>(sp => new OrleansDynamoAmazonClient(sp.GetRequiredService<IDynamoDb>()));
        return services;
    }
}
