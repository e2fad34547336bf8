using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Xunit.Abstractions;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>Local and global secondary indexes through the AWS SDK.</summary>
[Collection(ServerCollection.Name)]
public sealed class IndexTests(ServerFixture server, ITestOutputHelper output)
{
    private IAmazonDynamoDB Client => server.Client;

    /// <summary>
    /// pk/sk (S) table with: LSI "byScore" (pk, score N, KEYS_ONLY), LSI "byTag" (pk, tag S, INCLUDE color),
    /// GSI "byColor" (color S, score N, ALL), GSI "byTagKeys" (tag S, KEYS_ONLY).
    /// </summary>
    private async Task<string> IndexedTableAsync()
    {
        var name = NewName("idx");
        await Client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions =
            [
                new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("sk", ScalarAttributeType.S),
                new AttributeDefinition("score", ScalarAttributeType.N), new AttributeDefinition("tag", ScalarAttributeType.S),
                new AttributeDefinition("color", ScalarAttributeType.S),
            ],
            LocalSecondaryIndexes =
            [
                new LocalSecondaryIndex
                {
                    IndexName = "byScore",
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("score", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
                new LocalSecondaryIndex
                {
                    IndexName = "byTag",
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("tag", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["color"] },
                },
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "byColor",
                    KeySchema = [new KeySchemaElement("color", KeyType.HASH), new KeySchemaElement("score", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
                new GlobalSecondaryIndex
                {
                    IndexName = "byTagKeys",
                    KeySchema = [new KeySchemaElement("tag", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
        });
        return name;
    }

    private static Dictionary<string, AttributeValue> Row(string pk, string sk, int? score = null, string? tag = null, string? color = null, string? extra = null)
    {
        var item = new Dictionary<string, AttributeValue> { ["pk"] = S(pk), ["sk"] = S(sk) };
        if (score is not null) item["score"] = N(score.Value.ToString());
        if (tag is not null) item["tag"] = S(tag);
        if (color is not null) item["color"] = S(color);
        if (extra is not null) item["extra"] = S(extra);
        return item;
    }

    private Task<QueryResponse> QueryIndexAsync(string table, string index, string condition, Dictionary<string, AttributeValue> values, Action<QueryRequest>? configure = null)
    {
        var request = new QueryRequest { TableName = table, IndexName = index, KeyConditionExpression = condition, ExpressionAttributeValues = values };
        configure?.Invoke(request);
        return Client.QueryAsync(request);
    }

    /// <summary>Polls a global index until the query answers what is expected (the index is eventually consistent).</summary>
    private async Task<QueryResponse> EventuallyAsync(Func<Task<QueryResponse>> query, Func<QueryResponse, bool> done, int seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var response = await query();
            if (done(response) || clock.Elapsed > TimeSpan.FromSeconds(seconds)) return response;
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task CreateTable_with_indexes_describes_them_active_with_arns_and_counts()
    {
        var table = await IndexedTableAsync();
        await Client.PutItemAsync(table, Row("a", "1", score: 5, tag: "x", color: "red"));
        await Client.PutItemAsync(table, Row("a", "2", score: 6));
        await EventuallyAsync(() => QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S("red") }), r => r.Count == 1);

        var description = (await Client.DescribeTableAsync(table)).Table;
        var byScore = description.LocalSecondaryIndexes.Single(i => i.IndexName == "byScore");
        Assert.Equal(2, byScore.ItemCount);
        Assert.Equal(1, description.LocalSecondaryIndexes.Single(i => i.IndexName == "byTag").ItemCount);
        Assert.EndsWith($"table/{table}/index/byScore", byScore.IndexArn);
        var byColor = description.GlobalSecondaryIndexes.Single(i => i.IndexName == "byColor");
        Assert.Equal(IndexStatus.ACTIVE, byColor.IndexStatus);
        Assert.Equal(1, byColor.ItemCount);
        Assert.True(byColor.IndexSizeBytes > 0);
        Assert.Equal(ProjectionType.ALL, byColor.Projection.ProjectionType);
        Assert.Equal(0, byColor.ProvisionedThroughput.ReadCapacityUnits);
    }

    public static TheoryData<string, Action<CreateTableRequest>> InvalidCreates => new()
    {
        { "One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            r => { r.KeySchema.RemoveAt(1); r.AttributeDefinitions.RemoveAll(d => d.AttributeName == "sk"); r.GlobalSecondaryIndexes = null; } },
        { "One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi. index hash key: other, table hash key: pk",
            r => { r.LocalSecondaryIndexes[0].KeySchema[0].AttributeName = "other"; r.AttributeDefinitions.Add(new AttributeDefinition("other", ScalarAttributeType.S)); } },
        { "One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified",
            r => r.LocalSecondaryIndexes[0].Projection.NonKeyAttributes = ["x"] },
        { "One or more parameter values were invalid: Duplicate index name: lsi",
            r => r.GlobalSecondaryIndexes[0].IndexName = "lsi" },
        { "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [missing], AttributeDefinitions: [pk, sk, v]",
            r => r.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName = "missing" },
        { "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5",
            r => r.LocalSecondaryIndexes = Enumerable.Range(0, 6).Select(i => new LocalSecondaryIndex
            {
                IndexName = $"lsi{i}",
                KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("v", KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            }).ToList() },
        { "One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [pk, sk, v, unused], keys used: [pk, sk, v]",
            r => r.AttributeDefinitions.Add(new AttributeDefinition("unused", ScalarAttributeType.S)) },
        { "One or more parameter values were invalid: Unknown ProjectionType: null",
            r => r.GlobalSecondaryIndexes[0].Projection.ProjectionType = null },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task CreateTable_rejects_invalid_indexes_with_DynamoDB_messages(string message, Action<CreateTableRequest> spoil)
    {
        var request = new CreateTableRequest
        {
            TableName = NewName("bad"),
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S), new("v", ScalarAttributeType.S)],
            LocalSecondaryIndexes =
            [
                new LocalSecondaryIndex
                {
                    IndexName = "lsi",
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("v", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "gsi",
                    KeySchema = [new KeySchemaElement("v", KeyType.HASH)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        };
        spoil(request);
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.CreateTableAsync(request));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Query_on_local_index_orders_by_index_sort_key_and_projects_keys_only()
    {
        var table = await IndexedTableAsync();
        await Client.PutItemAsync(table, Row("a", "1", score: 30, extra: "e1"));
        await Client.PutItemAsync(table, Row("a", "2", score: 10, extra: "e2"));
        await Client.PutItemAsync(table, Row("a", "3", score: 20, extra: "e3"));
        await Client.PutItemAsync(table, Row("a", "4", extra: "not indexed"));
        await Client.PutItemAsync(table, Row("b", "1", score: 15));

        var response = await QueryIndexAsync(table, "byScore", "pk = :p AND score >= :s", new() { [":p"] = S("a"), [":s"] = N("10") });
        Assert.Equal(["2", "3", "1"], response.Items.Select(i => i["sk"].S));
        // KEYS_ONLY: table keys and index keys, nothing else.
        Assert.All(response.Items, i => Assert.Equal(["pk", "score", "sk"], i.Keys.Order()));

        var all = await QueryIndexAsync(table, "byScore", "pk = :p", new() { [":p"] = S("a") }, r => r.Select = Select.ALL_ATTRIBUTES);
        Assert.Equal(["e2", "e3", "e1"], all.Items.Select(i => i["extra"].S));
    }

    [Fact]
    public async Task Local_index_is_updated_in_the_same_write_and_pages_with_index_shaped_LastEvaluatedKey()
    {
        var table = await IndexedTableAsync();
        for (var i = 0; i < 5; i++) await Client.PutItemAsync(table, Row("a", $"s{i}", tag: $"t{4 - i}", color: "c", extra: "x"));
        await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("a"), ["sk"] = S("s0") },
            UpdateExpression = "SET tag = :t",
            ExpressionAttributeValues = new() { [":t"] = S("t9") },
        });

        var page = await QueryIndexAsync(table, "byTag", "pk = :p", new() { [":p"] = S("a") }, r => r.Limit = 2);
        Assert.Equal(["t0", "t1"], page.Items.Select(i => i["tag"].S));
        Assert.Equal(["pk", "sk", "tag"], page.LastEvaluatedKey.Keys.Order());
        // INCLUDE color: projected; extra is not.
        Assert.All(page.Items, i => Assert.Equal(["color", "pk", "sk", "tag"], i.Keys.Order()));
        var rest = await QueryIndexAsync(table, "byTag", "pk = :p", new() { [":p"] = S("a") }, r => r.ExclusiveStartKey = page.LastEvaluatedKey);
        Assert.Equal(["t2", "t3", "t9"], rest.Items.Select(i => i["tag"].S));
        Assert.Null(rest.LastEvaluatedKey);
    }

    [Fact]
    public async Task Global_index_answers_queries_and_is_sparse()
    {
        var table = await IndexedTableAsync();
        await Client.PutItemAsync(table, Row("a", "1", score: 3, color: "red"));
        await Client.PutItemAsync(table, Row("b", "1", score: 1, color: "red"));
        await Client.PutItemAsync(table, Row("c", "1", score: 2, color: "blue"));
        await Client.PutItemAsync(table, Row("d", "1", score: 9)); // no color: not in byColor

        var red = await EventuallyAsync(() => QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S("red") }), r => r.Count == 2);
        Assert.Equal(["b", "a"], red.Items.Select(i => i["pk"].S));
        await Client.DeleteItemAsync(table, new() { ["pk"] = S("b"), ["sk"] = S("1") });
        await Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["pk"] = S("c"), ["sk"] = S("1") },
            UpdateExpression = "SET color = :c",
            ExpressionAttributeValues = new() { [":c"] = S("red") },
        });
        red = await EventuallyAsync(() => QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S("red") }),
            r => r.Items.Select(i => i["pk"].S).SequenceEqual(["c", "a"]));
        Assert.Equal(["c", "a"], red.Items.Select(i => i["pk"].S));
        Assert.Equal(0, (await QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S("blue") })).Count);

        var scan = await Client.ScanAsync(new ScanRequest { TableName = table, IndexName = "byColor" });
        Assert.Equal(["a", "c"], scan.Items.Select(i => i["pk"].S).Order());
    }

    [Fact]
    public async Task ConsistentRead_on_global_index_is_rejected()
    {
        var table = await IndexedTableAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S("red") }, r => r.ConsistentRead = true));
        Assert.Equal("Consistent reads are not supported on global secondary indexes", error.Message);
        var scanError = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            Client.ScanAsync(new ScanRequest { TableName = table, IndexName = "byColor", ConsistentRead = true }));
        Assert.Equal("Consistent reads are not supported on global secondary indexes", scanError.Message);
        // A local index reads consistently.
        await QueryIndexAsync(table, "byScore", "pk = :p", new() { [":p"] = S("a") }, r => r.ConsistentRead = true);
    }

    [Fact]
    public async Task Index_key_of_the_wrong_type_is_rejected_on_write()
    {
        var table = await IndexedTableAsync();
        var item = Row("a", "1");
        item["color"] = N("1");
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, item));
        Assert.Equal("One or more parameter values were invalid: Type mismatch for Index Key color Expected: S Actual: N IndexName: byColor", error.Message);
        Assert.False((await Client.GetItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = S("1") })).IsItemSet);
    }

    [Fact]
    public async Task Query_on_unknown_index_and_select_rules_are_rejected()
    {
        var table = await IndexedTableAsync();
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryIndexAsync(table, "nope", "pk = :p", new() { [":p"] = S("a") }));
        Assert.Equal("The table does not have the specified index: nope", error.Message);
        var select = await Assert.ThrowsAsync<AmazonDynamoDBException>(() =>
            QueryIndexAsync(table, "byTagKeys", "tag = :t", new() { [":t"] = S("a") }, r => r.Select = Select.ALL_ATTRIBUTES));
        Assert.Equal("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byTagKeys because its projection type is not ALL", select.Message);
        var projected = await QueryIndexAsync(table, "byScore", "pk = :p", new() { [":p"] = S("a") }, r => r.Select = Select.ALL_PROJECTED_ATTRIBUTES);
        Assert.Equal(0, projected.Count);
    }

    [Fact]
    public async Task Item_updated_1000_times_ends_with_exactly_one_current_entry_in_each_index()
    {
        var table = await IndexedTableAsync();
        for (var i = 0; i < 1000; i++)
            await Client.PutItemAsync(table, Row("hot", "1", score: i, tag: $"tag{i % 7}", color: $"color{i % 5}"));
        // Last write: score 999, tag6 (999 % 7 = 5 → "tag5"), color4.
        var lsi = await QueryIndexAsync(table, "byScore", "pk = :p", new() { [":p"] = S("hot") });
        Assert.Equal("999", Assert.Single(lsi.Items)["score"].N);
        var byTag = await QueryIndexAsync(table, "byTag", "pk = :p", new() { [":p"] = S("hot") });
        Assert.Equal("tag5", Assert.Single(byTag.Items)["tag"].S);

        var scan = await EventuallyScanAsync(table, "byColor", items => items.Count == 1 && items[0]["score"].N == "999");
        Assert.Equal("color4", Assert.Single(scan)["color"].S);
        var keys = await EventuallyScanAsync(table, "byTagKeys", items => items.Count == 1 && items[0]["tag"].S == "tag5");
        Assert.Equal("tag5", Assert.Single(keys)["tag"].S);
    }

    private async Task<List<Dictionary<string, AttributeValue>>> EventuallyScanAsync(string table, string index, Func<List<Dictionary<string, AttributeValue>>, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var items = await ScanAllAsync(table, index);
            if (done(items) || clock.Elapsed > TimeSpan.FromSeconds(30)) return items;
            await Task.Delay(20);
        }
    }

    private async Task<List<Dictionary<string, AttributeValue>>> ScanAllAsync(string table, string index, int segments = 1)
    {
        var all = new List<Dictionary<string, AttributeValue>>();
        foreach (var segment in Enumerable.Range(0, segments))
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await Client.ScanAsync(new ScanRequest
                {
                    TableName = table, IndexName = index, ExclusiveStartKey = start,
                    Segment = segments > 1 ? segment : null, TotalSegments = segments > 1 ? segments : null,
                });
                all.AddRange(page.Items);
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            } while (start is not null);
        }
        return all;
    }

    [Fact]
    public async Task Parallel_scan_of_global_index_returns_every_entry_once()
    {
        var table = await IndexedTableAsync();
        var writes = Enumerable.Range(0, 200).Select(i => Client.PutItemAsync(table, Row($"p{i}", "1", score: i, color: $"c{i % 13}")));
        await Task.WhenAll(writes);
        await EventuallyScanAsync(table, "byColor", items => items.Count == 200);
        var items = await ScanAllAsync(table, "byColor", segments: 4);
        Assert.Equal(200, items.Count);
        Assert.Equal(200, items.Select(i => i["pk"].S).Distinct().Count());
    }

    [Fact]
    public async Task A_transaction_reaches_local_and_global_indexes_and_reports_item_collection_metrics()
    {
        var table = await IndexedTableAsync();
        var response = await Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems =
            [
                new TransactWriteItem { Put = new Put { TableName = table, Item = Row("a", "1", score: 5, color: "red") } },
                new TransactWriteItem { Put = new Put { TableName = table, Item = Row("b", "1", score: 7, color: "red") } },
            ],
            ReturnItemCollectionMetrics = ReturnItemCollectionMetrics.SIZE,
        });

        var metrics = response.ItemCollectionMetrics[table];
        Assert.Equal(["a", "b"], metrics.Select(m => m.ItemCollectionKey["pk"].S).Order());
        Assert.All(metrics, m => Assert.Equal([0.0, 1.0], m.SizeEstimateRangeGB));
        var local = await QueryIndexAsync(table, "byScore", "pk = :pk", new() { [":pk"] = S("a") });
        Assert.Equal("5", Assert.Single(local.Items)["score"].N);
        var global = await EventuallyScanAsync(table, "byColor", items => items.Count == 2);
        Assert.All(global, i => Assert.Equal("red", i["color"].S));
    }

    [Fact]
    public async Task Item_collection_metrics_are_returned_for_tables_with_local_indexes()
    {
        var table = await IndexedTableAsync();
        var response = await Client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = Row("a", "1", score: 1),
            ReturnItemCollectionMetrics = ReturnItemCollectionMetrics.SIZE,
        });
        Assert.Equal("a", response.ItemCollectionMetrics.ItemCollectionKey["pk"].S);
        Assert.Equal([0.0, 1.0], response.ItemCollectionMetrics.SizeEstimateRangeGB);
    }

    [Fact]
    public async Task UpdateTable_adds_a_global_index_to_a_100000_item_table_which_becomes_active_with_every_item()
    {
        const int Items = 100_000;
        var table = await CreateAsync(Client, rangeKeyType: "N");
        var load = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Items / 25), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batch, _) =>
        {
            var requests = Enumerable.Range(batch * 25, 25).Select(i => new WriteRequest(new PutRequest(new()
            {
                ["pk"] = S($"p{i % 1000}"), ["sk"] = N(i.ToString()), ["group"] = S($"g{i % 10}"),
            }))).ToList();
            var pending = new Dictionary<string, List<WriteRequest>> { [table] = requests };
            while (pending.Count > 0) pending = (await Client.BatchWriteItemAsync(pending)).UnprocessedItems;
        });
        output.WriteLine($"Loaded {Items} items in {load.Elapsed.TotalSeconds:F1} s");

        var clock = Stopwatch.StartNew();
        var update = await Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new AttributeDefinition("group", ScalarAttributeType.S)],
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate
                {
                    Create = new CreateGlobalSecondaryIndexAction
                    {
                        IndexName = "byGroup",
                        KeySchema = [new KeySchemaElement("group", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
                        Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                    },
                },
            ],
        });
        var created = update.TableDescription.GlobalSecondaryIndexes.Single();
        Assert.Equal(IndexStatus.CREATING, created.IndexStatus);
        Assert.True(created.Backfilling);

        // Writes during the backfill are not lost.
        await Client.PutItemAsync(table, new() { ["pk"] = S("late"), ["sk"] = N("-1"), ["group"] = S("g3") });
        GlobalSecondaryIndexDescription index;
        do
        {
            await Task.Delay(100);
            index = (await Client.DescribeTableAsync(table)).Table.GlobalSecondaryIndexes.Single();
        } while (index.IndexStatus != IndexStatus.ACTIVE && clock.Elapsed < TimeSpan.FromMinutes(5));
        Assert.Equal(IndexStatus.ACTIVE, index.IndexStatus);
        output.WriteLine($"Backfill: {Items} items ACTIVE after {clock.Elapsed.TotalSeconds:F2} s = {Items / clock.Elapsed.TotalSeconds:F0} items/s");
        Assert.Equal(Items + 1, index.ItemCount);

        var keys = new List<long>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await QueryIndexAsync(table, "byGroup", "#g = :g", new() { [":g"] = S("g3") }, r =>
            {
                r.ExpressionAttributeNames = new() { ["#g"] = "group" };
                r.ExclusiveStartKey = start;
            });
            keys.AddRange(page.Items.Select(i => long.Parse(i["sk"].N)));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        } while (start is not null);
        Assert.Equal(Enumerable.Range(0, Items).Where(i => i % 10 == 3).Select(i => (long)i).Prepend(-1), keys);
    }

    [Fact]
    public async Task Global_index_lag_under_write_load_stays_bounded()
    {
        var table = await IndexedTableAsync();
        using var stop = new CancellationTokenSource();
        var writes = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await Client.PutItemAsync(table, Row($"load{writer}", $"{i % 200}", score: i, color: $"c{i % 50}"));
                Interlocked.Increment(ref writes);
            }
        })));
        var clock = Stopwatch.StartNew();
        var lags = new List<double>();
        for (var probe = 0; probe < 40; probe++)
        {
            var color = $"probe{probe}";
            await Client.PutItemAsync(table, Row("probe", $"{probe}", score: probe, color: color));
            var visible = Stopwatch.StartNew();
            while ((await QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S(color) })).Count == 0 && visible.Elapsed < TimeSpan.FromSeconds(30)) { }
            lags.Add(visible.Elapsed.TotalMilliseconds);
        }
        stop.Cancel();
        await load;
        lags.Sort();
        output.WriteLine($"Index lag under {writes / clock.Elapsed.TotalSeconds:F0} writes/s: p50 {lags[lags.Count / 2]:F1} ms, " +
            $"p95 {lags[(int)(lags.Count * 0.95)]:F1} ms, max {lags[^1]:F1} ms");
        Assert.True(lags[^1] < 10_000, $"an index change took {lags[^1]:F0} ms to show");
    }

    [Fact]
    public async Task UpdateTable_deletes_a_global_index_and_rejects_two_creations_at_once()
    {
        var table = await IndexedTableAsync();
        var twice = await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.LimitExceededException>(() => Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new AttributeDefinition("tag", ScalarAttributeType.S)],
            GlobalSecondaryIndexUpdates =
            [
                new() { Create = new() { IndexName = "one", KeySchema = [new("tag", KeyType.HASH)], Projection = new() { ProjectionType = ProjectionType.ALL } } },
                new() { Create = new() { IndexName = "two", KeySchema = [new("tag", KeyType.HASH)], Projection = new() { ProjectionType = ProjectionType.ALL } } },
            ],
        }));
        Assert.Contains("Only 1 online index can be created or deleted simultaneously per table", twice.Message);

        var deleted = await Client.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table,
            GlobalSecondaryIndexUpdates = [new() { Delete = new() { IndexName = "byColor" } }],
        });
        Assert.Equal(IndexStatus.DELETING, deleted.TableDescription.GlobalSecondaryIndexes.Single(i => i.IndexName == "byColor").IndexStatus);
        Assert.DoesNotContain((await Client.DescribeTableAsync(table)).Table.GlobalSecondaryIndexes, i => i.IndexName == "byColor");
        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => QueryIndexAsync(table, "byColor", "color = :c", new() { [":c"] = S("red") }));
        Assert.Equal("The table does not have the specified index: byColor", error.Message);
        await Client.PutItemAsync(table, Row("a", "1", color: "red"));
    }
}

/// <summary>The item collection limit, on a server whose limit is small enough to reach.</summary>
public sealed class ItemCollectionLimitTests : IAsyncLifetime
{
    private Microsoft.AspNetCore.Builder.WebApplication? _app;
    private IAmazonDynamoDB _client = null!;

    public async Task InitializeAsync()
    {
        _app = OrleansDynamo.Server.ServerHost.Build(["--port", "0", "--silo-port", ServerFixture.FreePort().ToString(),
            "--gateway-port", ServerFixture.FreePort().ToString(), "--in-memory", "--item-collection-size-limit", "10000"]);
        await _app.StartAsync();
        _client = ServerFixture.CreateClient(OrleansDynamo.Server.ServerHost.GetEndpoint(_app));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Item_collection_past_the_limit_is_rejected_with_ItemCollectionSizeLimitExceededException()
    {
        var table = NewName("coll");
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("sk", KeyType.RANGE)],
            AttributeDefinitions = [new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S), new("v", ScalarAttributeType.S)],
            LocalSecondaryIndexes =
            [
                new LocalSecondaryIndex
                {
                    IndexName = "byV",
                    KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("v", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.ALL },
                },
            ],
        });
        var blob = new string('x', 1000);
        var written = 0;
        var error = await Assert.ThrowsAsync<ItemCollectionSizeLimitExceededException>(async () =>
        {
            for (; written < 100; written++)
                await _client.PutItemAsync(table, new() { ["pk"] = S("full"), ["sk"] = S($"{written}"), ["v"] = S("v"), ["blob"] = S(blob) });
        });
        Assert.InRange(written, 3, 9);
        // Another collection of the same table is not affected.
        await _client.PutItemAsync(table, new() { ["pk"] = S("other"), ["sk"] = S("1"), ["v"] = S("v"), ["blob"] = S(blob) });
        Assert.Equal("Collection size exceeded.", error.Message);
    }
}
