using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.DataModel;
using Amazon.DynamoDBv2.DocumentModel;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>
/// The AWS SDK's higher layers (object persistence, document model, paginators) on top of IAmazonDynamoDB, and
/// what an operation OrleansDynamo does not serve looks like to them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AwsSdkFeatureTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    public sealed class Song
    {
        [DynamoDBHashKey("pk")] public string Artist { get; set; } = "";
        [DynamoDBRangeKey("sk")] public string Title { get; set; } = "";
        public int Year { get; set; }
        public List<string> Tags { get; set; } = [];
    }

    [Fact]
    public async Task DynamoDBContext_saves_loads_queries_and_deletes_a_model()
    {
        var table = await CreateAsync(Client, rangeKeyType: "S");
        using var context = new DynamoDBContextBuilder().WithDynamoDBClient(() => Client).Build();

        await context.SaveAsync(new Song { Artist = "Nina Simone", Title = "Feeling Good", Year = 1965, Tags = ["jazz"] }, new SaveConfig { OverrideTableName = table });
        await context.SaveAsync(new Song { Artist = "Nina Simone", Title = "Sinnerman", Year = 1965 }, new SaveConfig { OverrideTableName = table });

        var loaded = await context.LoadAsync<Song>("Nina Simone", "Feeling Good", new LoadConfig { OverrideTableName = table });
        Assert.Equal(1965, loaded.Year);
        Assert.Equal(["jazz"], loaded.Tags);

        var songs = await context.QueryAsync<Song>("Nina Simone", new QueryConfig { OverrideTableName = table }).GetRemainingAsync();
        Assert.Equal(["Feeling Good", "Sinnerman"], songs.Select(s => s.Title));

        await context.DeleteAsync<Song>("Nina Simone", "Sinnerman", new DeleteConfig { OverrideTableName = table });
        Assert.Null(await context.LoadAsync<Song>("Nina Simone", "Sinnerman", new LoadConfig { OverrideTableName = table }));
    }

    [Fact]
    public async Task Document_model_puts_updates_and_gets_a_document()
    {
        var name = await CreateAsync(Client);
        var table = new TableBuilder(Client, name).AddHashKey("pk", DynamoDBEntryType.String).Build();

        await table.PutItemAsync(new Document { ["pk"] = "doc", ["count"] = 1, ["note"] = "first" });
        await table.UpdateItemAsync(new Document { ["pk"] = "doc", ["count"] = 2 });

        var document = await table.GetItemAsync("doc");
        Assert.Equal(2, document["count"].AsInt());
        Assert.Equal("first", document["note"].AsString());
    }

    [Fact]
    public async Task Scan_paginator_follows_LastEvaluatedKey_to_the_end()
    {
        var table = await CreateAsync(Client);
        for (var i = 0; i < 5; i++) await Client.PutItemAsync(table, new() { ["pk"] = S($"k{i}") });

        var keys = new List<string>();
        var pages = 0;
        await foreach (var page in Client.Paginators.Scan(new ScanRequest { TableName = table, Limit = 2 }).Responses)
        {
            pages++;
            keys.AddRange(page.Items.Select(item => item["pk"].S));
        }
        Assert.True(pages >= 3, $"{pages} pages");
        Assert.Equal(["k0", "k1", "k2", "k3", "k4"], keys.Order());
    }

    [Fact]
    public async Task Operation_not_served_is_UnknownOperationException()
    {
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.DescribeGlobalTableAsync(new Amazon.DynamoDBv2.Model.DescribeGlobalTableRequest
        {
            GlobalTableName = "global",
        }));
        Assert.Equal("UnknownOperationException", error.ErrorCode);
    }

    /// <summary>Each operation of IDynamoDb, sent empty through the SDK, is answered (those that need no member) or validated, never unknown.</summary>
    [Fact]
    public async Task Every_IDynamoDb_operation_is_served_through_IAmazonDynamoDB()
    {
        var operations = typeof(OrleansDynamo.Operations.IDynamoDb).GetMethods().Select(m => m.Name[..^"Async".Length]).ToList();
        Assert.Contains("PutItem", operations);
        foreach (var operation in operations)
        {
            var requestType = typeof(GetItemRequest).Assembly.GetType($"Amazon.DynamoDBv2.Model.{operation}Request", throwOnError: true)!;
            var method = typeof(IAmazonDynamoDB).GetMethod($"{operation}Async", [requestType, typeof(CancellationToken)])!;
            try
            {
                await (Task)method.Invoke(Client, [Activator.CreateInstance(requestType), CancellationToken.None])!;
                Assert.Contains(operation, new[] { "ListTables", "DescribeLimits", "DescribeEndpoints", "ListBackups", "ListExports", "ListImports" });
            }
            catch (AmazonDynamoDBException error)
            {
                Assert.True(error.ErrorCode == "ValidationException", $"{operation}: {error.ErrorCode} {error.Message}");
            }
        }
    }

    [Fact]
    public async Task CreateTable_of_an_existing_table_is_ResourceInUseException()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAsync<ResourceInUseException>(() => CreateAsyncNamed(Client, table));
        Assert.Contains(table, error.Message);
    }
}
