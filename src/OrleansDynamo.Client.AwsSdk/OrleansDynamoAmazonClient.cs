using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using OrleansDynamo.Operations;

namespace OrleansDynamo.Client.AwsSdk;

/// <summary>
/// The AWS SDK's <see cref="IAmazonDynamoDB"/> over OrleansDynamo's <see cref="IDynamoDb"/>: no HTTP, no JSON, no
/// signing. Code written for the AWS SDK, including <c>DynamoDBContext</c>, the document model (<c>Table</c>,
/// <c>Document</c>) and the paginators, runs on it unchanged; errors are the SDK's exception types with DynamoDB's
/// messages. Operations OrleansDynamo does not serve throw an <see cref="AmazonDynamoDBException"/> with error
/// code <c>UnknownOperationException</c>, as the HTTP endpoint answers them.
/// </summary>
/// <remarks>
/// It is the SDK's own <see cref="AmazonDynamoDBClient"/> with the stages of its request pipeline that marshal,
/// sign, send and unmarshal replaced by one that calls <see cref="IDynamoDb"/>: every method of the interface
/// keeps the SDK's own behaviour up to that point.
/// </remarks>
/// <example><code>IAmazonDynamoDB dynamo = new OrleansDynamoAmazonClient(clusterClient.ServiceProvider.GetRequiredService&lt;IDynamoDb&gt;());</code></example>
public sealed class OrleansDynamoAmazonClient : AmazonDynamoDBClient
{
    /// <summary>An SDK client whose every request is served by <paramref name="dynamoDb"/>.</summary>
    public OrleansDynamoAmazonClient(IDynamoDb dynamoDb)
        // No credentials are looked up and no endpoint is ever reached: the region only fills the SDK's config.
        : base(new AnonymousAWSCredentials(), new AmazonDynamoDBConfig { RegionEndpoint = RegionEndpoint.USEast1, MaxErrorRetry = 0 })
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        DynamoDb = dynamoDb;
        RuntimePipeline.Dispose();
        RuntimePipeline = new RuntimePipeline(new List<IPipelineHandler>
        {
            new OrleansDynamoPipelineHandler(dynamoDb),
            new MetricsHandler(), // outermost: the SDK's tracing spans and metrics
        });
    }

    /// <summary>The OrleansDynamo API this client forwards to.</summary>
    public IDynamoDb DynamoDb { get; }
}
