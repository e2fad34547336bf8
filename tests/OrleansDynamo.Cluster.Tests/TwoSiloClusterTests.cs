using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using OrleansDynamo.Client;
using OrleansDynamo.Hosting;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Partitions;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Cluster.Tests;

/// <summary>Two silos in one process, each hosting the grains and serving requests through its own request path.</summary>
public sealed class TwoSiloClusterTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestClusters.StartAsync(2, options => options.InitialPartitionCount = 16);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IDynamoDb EnterThrough(int silo) =>
        new DynamoDbClient(_cluster.Silos[silo].ServiceProvider.GetRequiredService<IGrainFactory>());

    [Fact]
    public async Task Partitions_spread_over_both_silos_and_requests_enter_through_either()
    {
        var first = EnterThrough(0);
        var second = EnterThrough(1);
        await first.CreateTableAsync(new CreateTableRequest
        {
            TableName = "spread",
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
            AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
        });

        for (var i = 0; i < 200; i++)
        {
            var via = i % 2 == 0 ? first : second;
            await via.PutItemAsync(new PutItemRequest { TableName = "spread", Item = Item(("pk", $"k{i}"), ("v", i.ToString())) });
        }

        for (var i = 0; i < 200; i++)
        {
            var via = i % 2 == 0 ? second : first;
            var got = await via.GetItemAsync(new GetItemRequest { TableName = "spread", Key = Item(("pk", $"k{i}")) });
            Assert.Equal(i.ToString(), got.Item!["v"].S);
        }
        var scanned = await second.ScanAsync(new ScanRequest { TableName = "spread" });
        Assert.Equal(200, scanned.Count);

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var partitions = (await management.GetDetailedGrainStatistics())
            .Where(s => s.GrainType.Contains(nameof(PartitionGrain), StringComparison.Ordinal)).ToArray();
        var silosHostingPartitions = partitions.Select(p => p.SiloAddress).Distinct().Count();
        Assert.Equal(16, partitions.Length);
        Assert.Equal(2, silosHostingPartitions);
    }

    [Fact]
    public async Task DynamoDB_errors_cross_silos_with_type_message_and_item()
    {
        var first = EnterThrough(0);
        await first.CreateTableAsync(new CreateTableRequest
        {
            TableName = "errors",
            BillingMode = "PAY_PER_REQUEST",
            KeySchema = [new KeySchemaElement { AttributeName = "pk", KeyType = "HASH" }],
            AttributeDefinitions = [new AttributeDefinition { AttributeName = "pk", AttributeType = "S" }],
        });
        // With 16 partitions spread over two silos, some keys live on the silo the request does not enter.
        for (var i = 0; i < 16; i++)
        {
            await first.PutItemAsync(new PutItemRequest { TableName = "errors", Item = Item(("pk", $"k{i}"), ("v", "old")) });
            var error = await Assert.ThrowsAsync<Errors.DynamoException>(() => EnterThrough(i % 2).PutItemAsync(new PutItemRequest
            {
                TableName = "errors",
                Item = Item(("pk", $"k{i}"), ("v", "new")),
                ConditionExpression = "attribute_not_exists(pk)",
                ReturnValuesOnConditionCheckFailure = "ALL_OLD",
            }));
            Assert.Equal("ConditionalCheckFailedException", error.ErrorType);
            Assert.Equal("The conditional request failed", error.Message);
            Assert.Equal("old", error.Item!["v"].S);
        }
    }

    private static Item Item(params (string Name, string Value)[] attributes) =>
        new(attributes.Select(a => KeyValuePair.Create(a.Name, AttributeValue.FromS(a.Value))));
}
