using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using OrleansDynamo.Tests.Shared;
using Xunit.Abstractions;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Data written by an earlier storage layout must open with every item intact. The fixtures in
/// <c>LegacyData/</c> were written by the server of the commit named in <c>expected.json</c>
/// (<c>LegacyData/make-fixtures.sh</c>): an embedded data directory and a PostgreSQL dump, with a table
/// split into 12 partitions, local and global indexes, binary keys and a deleted and re-created table.
/// The server of today opens them as a real process; every Scan, Query and DescribeTable must answer what
/// the old server answered, and new writes must work beside the old data, also after a restart.
/// </summary>
public sealed class LegacyDataTests(ITestOutputHelper output)
{
    /// <summary>How long an eventually consistent global index may take to answer as recorded.</summary>
    private static readonly TimeSpan GlobalIndexPatience = TimeSpan.FromSeconds(30);

    private static readonly string Fixtures = FindFixtures();

    [Fact]
    public async Task Embedded_data_directory_of_layout_v1_opens_with_every_item()
    {
        var folder = Path.Combine(Path.GetTempPath(), "odyn-legacy-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            await using (var archive = File.OpenRead(Path.Combine(Fixtures, "embedded-v1.tar.gz")))
            await using (var gzip = new GZipStream(archive, CompressionMode.Decompress))
                await TarFile.ExtractToDirectoryAsync(gzip, folder, overwriteFiles: false);
            await OpensAsExpectedAsync("embedded", ["--data-dir", Path.Combine(folder, "data")]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_dump_of_layout_v1_opens_with_every_item()
    {
        await using var postgres = await PostgresServer.StartAsync();
        const string database = "legacy_v1";
        var connectionString = await postgres.CreateDatabaseAsync(database);
        await LoadDumpAsync(postgres.Port, database, Path.Combine(Fixtures, "postgres-v1.sql"));
        await OpensAsExpectedAsync("postgres", ["--cluster", "postgres", "--storage", "postgres", "--postgres", connectionString]);
    }

    private async Task OpensAsExpectedAsync(string store, string[] storage)
    {
        using var expectedDocument = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Fixtures, "expected.json")));
        var expected = expectedDocument.RootElement;
        output.WriteLine($"fixtures written by {expected.GetProperty("Commit").GetString()}; Orders had {expected.GetProperty("OrdersPartitions").GetProperty(store)} partitions");
        var tables = expected.GetProperty("Tables").EnumerateArray().Select(t => t.GetString()!).ToList();
        var descriptions = expected.GetProperty("Describe").GetProperty(store);
        var written = new List<(string Table, Dictionary<string, AttributeValue> Key, Dictionary<string, AttributeValue> Item)>();
        var clock = Stopwatch.StartNew();

        await using (var server = await ServerProcess.StartAsync(storage))
        try
        {
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: the server of today started on the {store} fixtures");
            using var client = server.CreateClient();
            Assert.Equal(tables, (await client.ListTablesAsync(new ListTablesRequest())).TableNames);
            // Global index entries are rebuilt from the converted table (docs/architecture.md, "Data of the first
            // layout"): such a table is UPDATING, its indexes CREATING, until the backfill ends.
            foreach (var table in tables)
            {
                var deadline = Stopwatch.StartNew();
                var description = (await client.DescribeTableAsync(table)).Table;
                while (description.TableStatus != TableStatus.ACTIVE && deadline.Elapsed < TimeSpan.FromSeconds(60))
                {
                    Assert.Equal(TableStatus.UPDATING, description.TableStatus);
                    await Task.Delay(200);
                    description = (await client.DescribeTableAsync(table)).Table;
                }
                AssertDescription(descriptions.GetProperty(table), description);
            }

            foreach (var scan in expected.GetProperty("Scans").EnumerateArray())
            {
                var table = scan.GetProperty("TableName").GetString()!;
                var index = scan.TryGetProperty("IndexName", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
                var global = index is not null && IsGlobalIndex(descriptions.GetProperty(table), index);
                var keyNames = KeyNames(descriptions.GetProperty(table));
                var wanted = Canonical(scan.GetProperty("Items"), keyNames);
                await EventuallyAsync(global, $"Scan of {table}{(index is null ? "" : "." + index)}", async () =>
                {
                    var items = await ReadAllAsync(start => client.ScanAsync(new ScanRequest
                    {
                        TableName = table, IndexName = index, ConsistentRead = !global, ExclusiveStartKey = start,
                    }), r => (r.Items, r.LastEvaluatedKey));
                    return SameItems(wanted, Canonical(items, keyNames), ordered: false);
                });
            }

            foreach (var query in expected.GetProperty("Queries").EnumerateArray())
            {
                var name = query.GetProperty("Name").GetString()!;
                var request = query.GetProperty("Request");
                var table = request.GetProperty("TableName").GetString()!;
                var global = request.TryGetProperty("IndexName", out var index) && IsGlobalIndex(descriptions.GetProperty(table), index.GetString()!);
                var wanted = Canonical(query.GetProperty("Items"), KeyNames(descriptions.GetProperty(table)));
                await EventuallyAsync(global, $"Query '{name}'", async () =>
                {
                    var items = await ReadAllAsync(start => client.QueryAsync(ToQuery(request, start)), r => (r.Items, r.LastEvaluatedKey));
                    return SameItems(wanted, Canonical(items, KeyNames(descriptions.GetProperty(table))), ordered: true);
                });
            }

            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: every table, scan and query answers as recorded");
            written = await WriteBesideTheOldDataAsync(client, expected, descriptions, tables);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: new writes beside the old data work; kill -9 and restart");
            await server.KillAsync();
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException($"The server failed on the {store} fixtures:\n" + server.Output, e);
        }

        // The new writes and the old data, together, after a restart.
        await using var restarted = await ServerProcess.StartAsync(storage);
        try
        {
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: restarted");
            using var client = restarted.CreateClient();
            foreach (var (table, key, item) in written)
            {
                var read = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true });
                Assert.Equal(Canonical(item), Canonical(read.Item));
            }
            foreach (var table in tables)
            {
                var expectedCount = TableScan(expected, table).GetArrayLength();
                var items = await ReadAllAsync(start => client.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true, ExclusiveStartKey = start }),
                    r => (r.Items, r.LastEvaluatedKey));
                Assert.True(items.Count == expectedCount + 1, $"{table}: {items.Count} items after the restart, expected the {expectedCount} old ones and 1 new");
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: the new and the updated items are there after the restart");
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException($"The restarted server failed on the {store} fixtures:\n" + restarted.Output, e);
        }
    }

    /// <summary>
    /// In each table: a new item put and read back, and an old item updated (its other attributes must stay);
    /// in Orders the new item must also show in both indexes. Returns what was written, to read after a restart.
    /// </summary>
    private static async Task<List<(string, Dictionary<string, AttributeValue>, Dictionary<string, AttributeValue>)>> WriteBesideTheOldDataAsync(
        IAmazonDynamoDB client, JsonElement expected, JsonElement descriptions, List<string> tables)
    {
        var written = new List<(string, Dictionary<string, AttributeValue>, Dictionary<string, AttributeValue>)>();
        foreach (var table in tables)
        {
            var description = descriptions.GetProperty(table);
            var types = description.GetProperty("AttributeDefinitions").EnumerateArray()
                .ToDictionary(a => a.GetProperty("AttributeName").GetString()!, a => a.GetProperty("AttributeType").GetString()!);
            var keyNames = KeyNames(description);

            // A new item; for Orders with index keys, so that it joins the local and the global index.
            var item = new Dictionary<string, AttributeValue>();
            foreach (var name in keyNames) item[name] = NewValue(types[name]);
            item["writtenAfterOpen"] = new AttributeValue { S = "LegacyDataTests" };
            item["list"] = new AttributeValue { L = [new AttributeValue { N = "1" }, new AttributeValue { M = new() { ["x"] = new AttributeValue { NULL = true } } }] };
            if (table == "Orders")
            {
                item["amount"] = new AttributeValue { N = "-999.5" };
                item["status"] = new AttributeValue { S = "AFTER_OPEN" };
                item["placedAt"] = new AttributeValue { N = "1800000000" };
            }
            await client.PutItemAsync(table, item);
            var key = keyNames.ToDictionary(n => n, n => item[n]);
            var read = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = key, ConsistentRead = true });
            Assert.Equal(Canonical(item), Canonical(read.Item));
            written.Add((table, key, item));

            if (table == "Orders")
            {
                var local = await client.QueryAsync(new QueryRequest
                {
                    TableName = table, IndexName = "byAmount", ConsistentRead = true,
                    KeyConditionExpression = "pk = :pk AND amount = :a",
                    ExpressionAttributeValues = new() { [":pk"] = item["pk"], [":a"] = item["amount"] },
                });
                Assert.Equal(new[] { Canonical(key) }, local.Items.Select(i => Canonical(keyNames.ToDictionary(n => n, n => i[n]))));
                await EventuallyAsync(true, "the new item in the global index", async () =>
                {
                    var global = await client.QueryAsync(new QueryRequest
                    {
                        TableName = table, IndexName = "byStatus", KeyConditionExpression = "#s = :s",
                        ExpressionAttributeNames = new() { ["#s"] = "status" }, ExpressionAttributeValues = new() { [":s"] = item["status"] },
                    });
                    return global.Items.Count == 1 && Canonical(keyNames.ToDictionary(n => n, n => global.Items[0][n])) == Canonical(key)
                        ? null : $"the global index answers {global.Items.Count} items";
                });
            }

            // An old item, updated: the update applies to what the old layout stored.
            var old = TableScan(expected, table)[0];
            var oldItem = old.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value));
            var oldKey = keyNames.ToDictionary(n => n, n => oldItem[n]);
            var updated = await client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table, Key = oldKey, ReturnValues = ReturnValue.ALL_NEW,
                UpdateExpression = "SET touchedAfterOpen = :t", ConditionExpression = "attribute_exists(#k)",
                ExpressionAttributeNames = new() { ["#k"] = keyNames[0] },
                ExpressionAttributeValues = new() { [":t"] = new AttributeValue { BOOL = true } },
            });
            oldItem["touchedAfterOpen"] = new AttributeValue { BOOL = true };
            Assert.Equal(Canonical(oldItem), Canonical(updated.Attributes));
            written.Add((table, oldKey, oldItem));
        }
        return written;
    }

    /// <summary>The recorded Scan of a table itself (not of one of its indexes).</summary>
    private static JsonElement TableScan(JsonElement expected, string table) => expected.GetProperty("Scans").EnumerateArray()
        .Single(s => s.GetProperty("TableName").GetString() == table && !s.TryGetProperty("IndexName", out _))
        .GetProperty("Items");

    private static AttributeValue NewValue(string type) => type switch
    {
        "S" => new AttributeValue { S = "new-after-open" },
        "N" => new AttributeValue { N = "777.5" },
        "B" => new AttributeValue { B = new MemoryStream([0x4e, 0x00, 0xff]) },
        _ => throw new InvalidOperationException($"key type {type}"),
    };

    private static void AssertDescription(JsonElement expected, TableDescription actual)
    {
        var table = expected.GetProperty("TableName").GetString();
        Assert.Equal(table, actual.TableName);
        Assert.Equal(expected.GetProperty("TableStatus").GetString(), actual.TableStatus?.Value);
        Assert.Equal(expected.GetProperty("TableId").GetString(), actual.TableId);
        Assert.Equal(expected.GetProperty("ItemCount").GetInt64(), actual.ItemCount ?? -1);
        Assert.Equal((long)Math.Round(expected.GetProperty("CreationDateTime").GetDouble() * 1000), UnixMilliseconds(actual.CreationDateTime!.Value));
        Assert.Equal(KeySchema(expected.GetProperty("KeySchema")), KeySchema(actual.KeySchema));
        Assert.Equal(expected.GetProperty("AttributeDefinitions").EnumerateArray().Select(a => $"{a.GetProperty("AttributeName").GetString()}:{a.GetProperty("AttributeType").GetString()}"),
            actual.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}"));
        Assert.Equal(expected.GetProperty("BillingMode").GetString(), actual.BillingModeSummary?.BillingMode?.Value ?? "PROVISIONED");
        var throughput = expected.GetProperty("ProvisionedThroughput");
        Assert.Equal(throughput.GetProperty("ReadCapacityUnits").GetInt64(), actual.ProvisionedThroughput?.ReadCapacityUnits ?? 0);
        Assert.Equal(throughput.GetProperty("WriteCapacityUnits").GetInt64(), actual.ProvisionedThroughput?.WriteCapacityUnits ?? 0);

        var locals = expected.TryGetProperty("LocalSecondaryIndexes", out var l) ? l.EnumerateArray().ToList() : [];
        Assert.Equal(locals.Count, actual.LocalSecondaryIndexes?.Count ?? 0);
        foreach (var (want, have) in locals.Zip(actual.LocalSecondaryIndexes ?? []))
        {
            Assert.Equal(want.GetProperty("IndexName").GetString(), have.IndexName);
            Assert.Equal(KeySchema(want.GetProperty("KeySchema")), KeySchema(have.KeySchema));
            Assert.Equal(Projection(want.GetProperty("Projection")), Projection(have.Projection));
            Assert.Equal(want.GetProperty("ItemCount").GetInt64(), have.ItemCount ?? -1);
        }
        var globals = expected.TryGetProperty("GlobalSecondaryIndexes", out var g) ? g.EnumerateArray().ToList() : [];
        Assert.Equal(globals.Count, actual.GlobalSecondaryIndexes?.Count ?? 0);
        foreach (var (want, have) in globals.Zip(actual.GlobalSecondaryIndexes ?? []))
        {
            Assert.Equal(want.GetProperty("IndexName").GetString(), have.IndexName);
            Assert.Equal(KeySchema(want.GetProperty("KeySchema")), KeySchema(have.KeySchema));
            Assert.Equal(Projection(want.GetProperty("Projection")), Projection(have.Projection));
            Assert.Equal(want.GetProperty("IndexStatus").GetString(), have.IndexStatus?.Value);
            Assert.Equal(want.GetProperty("ItemCount").GetInt64(), have.ItemCount ?? -1);
        }
    }

    private static long UnixMilliseconds(DateTime time) =>
        new DateTimeOffset(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds();

    private static string KeySchema(JsonElement schema) =>
        string.Join(", ", schema.EnumerateArray().Select(k => $"{k.GetProperty("AttributeName").GetString()}:{k.GetProperty("KeyType").GetString()}"));

    private static string KeySchema(List<KeySchemaElement> schema) => string.Join(", ", schema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));

    private static string Projection(JsonElement projection) =>
        projection.GetProperty("ProjectionType").GetString() + (projection.TryGetProperty("NonKeyAttributes", out var attributes)
            ? " " + string.Join(",", attributes.EnumerateArray().Select(a => a.GetString())) : "");

    private static string Projection(Amazon.DynamoDBv2.Model.Projection projection) =>
        projection.ProjectionType.Value + (projection.NonKeyAttributes is { Count: > 0 } attributes ? " " + string.Join(",", attributes) : "");

    private static List<string> KeyNames(JsonElement description) =>
        description.GetProperty("KeySchema").EnumerateArray().Select(k => k.GetProperty("AttributeName").GetString()!).ToList();

    private static bool IsGlobalIndex(JsonElement description, string index) =>
        description.TryGetProperty("GlobalSecondaryIndexes", out var globals) && globals.EnumerateArray().Any(g => g.GetProperty("IndexName").GetString() == index);

    private static QueryRequest ToQuery(JsonElement request, Dictionary<string, AttributeValue>? start)
    {
        var query = new QueryRequest { TableName = request.GetProperty("TableName").GetString(), ExclusiveStartKey = start };
        foreach (var property in request.EnumerateObject())
        {
            switch (property.Name)
            {
                case "TableName": break;
                case "IndexName": query.IndexName = property.Value.GetString(); break;
                case "KeyConditionExpression": query.KeyConditionExpression = property.Value.GetString(); break;
                case "FilterExpression": query.FilterExpression = property.Value.GetString(); break;
                case "ProjectionExpression": query.ProjectionExpression = property.Value.GetString(); break;
                case "Select": query.Select = Select.FindValue(property.Value.GetString()); break;
                case "ScanIndexForward": query.ScanIndexForward = property.Value.GetBoolean(); break;
                case "ConsistentRead": query.ConsistentRead = property.Value.GetBoolean(); break;
                case "Limit": query.Limit = property.Value.GetInt32(); break;
                case "ExpressionAttributeNames":
                    query.ExpressionAttributeNames = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
                    break;
                case "ExpressionAttributeValues":
                    query.ExpressionAttributeValues = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value));
                    break;
                default: throw new InvalidOperationException($"expected.json: a query with {property.Name}, which this test does not pass on");
            }
        }
        return query;
    }

    /// <summary>Every page of a Scan or Query, in order.</summary>
    private static async Task<List<Dictionary<string, AttributeValue>>> ReadAllAsync<TResponse>(
        Func<Dictionary<string, AttributeValue>?, Task<TResponse>> read,
        Func<TResponse, (List<Dictionary<string, AttributeValue>>? Items, Dictionary<string, AttributeValue>? LastKey)> page)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var (pageItems, lastKey) = page(await read(start));
            items.AddRange(pageItems ?? []);
            start = lastKey is { Count: > 0 } ? lastKey : null;
        } while (start is not null);
        return items;
    }

    /// <summary>
    /// Runs a check that answers null when it passes or what differs; a global index is eventually
    /// consistent, so its checks are tried again for a while.
    /// </summary>
    private static async Task EventuallyAsync(bool eventuallyConsistent, string what, Func<Task<string?>> check)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var difference = await check();
            if (difference is null) return;
            if (!eventuallyConsistent || clock.Elapsed > GlobalIndexPatience) Assert.Fail($"{what}: {difference}");
            await Task.Delay(200);
        }
    }

    /// <summary>Null when both lists hold the same items (in the same order if ordered), else what differs.</summary>
    private static string? SameItems(List<(string Key, string Item)> expected, List<(string Key, string Item)> actual, bool ordered)
    {
        if (ordered)
        {
            if (expected.SequenceEqual(actual)) return null;
            var at = expected.Zip(actual).TakeWhile(p => p.First == p.Second).Count();
            static string Describe(List<(string Key, string Item)> items, int at) => at < items.Count ? $"{items[at].Key} {items[at].Item}" : "(no more items)";
            return $"{actual.Count} items, expected {expected.Count}; first difference at {at}:\n  expected {Describe(expected, at)}\n  actual   {Describe(actual, at)}";
        }
        var duplicates = actual.GroupBy(i => i.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var wanted = expected.ToDictionary(i => i.Key, i => i.Item, StringComparer.Ordinal);
        var found = actual.DistinctBy(i => i.Key).ToDictionary(i => i.Key, i => i.Item, StringComparer.Ordinal);
        var missing = wanted.Keys.Where(k => !found.ContainsKey(k)).ToList();
        var unexpected = found.Keys.Where(k => !wanted.ContainsKey(k)).ToList();
        var changed = wanted.Where(w => found.TryGetValue(w.Key, out var item) && item != w.Value).ToList();
        if (duplicates.Count + missing.Count + unexpected.Count + changed.Count == 0) return null;
        var report = new StringBuilder($"{actual.Count} items, expected {expected.Count}");
        foreach (var key in duplicates.Take(5)) report.Append($"\n  twice:      {key}");
        foreach (var key in missing.Take(5)) report.Append($"\n  missing:    {key}");
        foreach (var key in unexpected.Take(5)) report.Append($"\n  unexpected: {key}");
        foreach (var (key, item) in changed.Take(3)) report.Append($"\n  changed:    {key}\n    expected {item}\n    actual   {found[key]}");
        if (missing.Count + unexpected.Count + changed.Count > 13) report.Append("\n  ...");
        return report.ToString();
    }

    private static List<(string Key, string Item)> Canonical(JsonElement items, List<string> keyNames) =>
        items.EnumerateArray().Select(i => (Canonical(keyNames.Where(n => i.TryGetProperty(n, out _)).ToDictionary(n => n, n => FromJson(i.GetProperty(n)))),
            Canonical(i.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value))))).ToList();

    private static List<(string Key, string Item)> Canonical(List<Dictionary<string, AttributeValue>> items, List<string> keyNames) =>
        items.Select(i => (Canonical(keyNames.Where(i.ContainsKey).ToDictionary(n => n, n => i[n])), Canonical(i))).ToList();

    /// <summary>
    /// DynamoDB JSON with a fixed order: map keys sorted, set members sorted (a set has no order); list order
    /// and every value's text as the server answered it.
    /// </summary>
    private static string Canonical(Dictionary<string, AttributeValue> item)
    {
        var text = new StringBuilder();
        WriteMap(text, item);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, Dictionary<string, AttributeValue> map)
    {
        text.Append('{');
        var first = true;
        foreach (var (name, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!first) text.Append(',');
            first = false;
            text.Append(JsonSerializer.Serialize(name)).Append(':');
            Write(text, value);
        }
        text.Append('}');
    }

    private static void Write(StringBuilder text, AttributeValue value)
    {
        static string Strings(IEnumerable<string> values) => "[" + string.Join(",", values.Order(StringComparer.Ordinal).Select(v => JsonSerializer.Serialize(v))) + "]";
        if (value.S is not null) text.Append("{\"S\":").Append(JsonSerializer.Serialize(value.S)).Append('}');
        else if (value.N is not null) text.Append("{\"N\":").Append(JsonSerializer.Serialize(value.N)).Append('}');
        else if (value.B is not null) text.Append("{\"B\":\"").Append(Convert.ToBase64String(value.B.ToArray())).Append("\"}");
        else if (value.IsSSSet) text.Append("{\"SS\":").Append(Strings(value.SS)).Append('}');
        else if (value.IsNSSet) text.Append("{\"NS\":").Append(Strings(value.NS)).Append('}');
        else if (value.IsBSSet) text.Append("{\"BS\":").Append(Strings(value.BS.Select(b => Convert.ToBase64String(b.ToArray())))).Append('}');
        else if (value.IsMSet)
        {
            text.Append("{\"M\":");
            WriteMap(text, value.M);
            text.Append('}');
        }
        else if (value.IsLSet)
        {
            text.Append("{\"L\":[");
            for (var i = 0; i < value.L.Count; i++)
            {
                if (i > 0) text.Append(',');
                Write(text, value.L[i]);
            }
            text.Append("]}");
        }
        else if (value.IsBOOLSet) text.Append("{\"BOOL\":").Append(value.BOOL == true ? "true" : "false").Append('}');
        else if (value.NULL == true) text.Append("{\"NULL\":true}");
        else throw new InvalidOperationException("an attribute value of no type");
    }

    /// <summary>An attribute value from DynamoDB JSON (<c>{"N": "1"}</c>).</summary>
    private static AttributeValue FromJson(JsonElement value)
    {
        var property = value.EnumerateObject().Single();
        var v = property.Value;
        return property.Name switch
        {
            "S" => new AttributeValue { S = v.GetString() },
            "N" => new AttributeValue { N = v.GetString() },
            "B" => new AttributeValue { B = new MemoryStream(v.GetBytesFromBase64()) },
            "SS" => new AttributeValue { SS = v.EnumerateArray().Select(e => e.GetString()!).ToList() },
            "NS" => new AttributeValue { NS = v.EnumerateArray().Select(e => e.GetString()!).ToList() },
            "BS" => new AttributeValue { BS = v.EnumerateArray().Select(e => new MemoryStream(e.GetBytesFromBase64())).ToList() },
            "M" => new AttributeValue { M = v.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)) },
            "L" => new AttributeValue { L = v.EnumerateArray().Select(FromJson).ToList() },
            "BOOL" => new AttributeValue { BOOL = v.GetBoolean() },
            "NULL" => new AttributeValue { NULL = v.GetBoolean() },
            _ => throw new InvalidOperationException($"expected.json: attribute type {property.Name}"),
        };
    }

    /// <summary>Loads a plain pg_dump with psql, stopping at the first error.</summary>
    private static Task LoadDumpAsync(int port, string database, string dump) => PostgresServer.RunAsync(Psql(),
        ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port.ToString(), "-U", "postgres", "-d", database, "-f", dump], asSuperuser: false);

    /// <summary>psql of the newest installed PostgreSQL, which PostgresServer runs too; else the one on the PATH.</summary>
    private static string Psql()
    {
        const string root = "/usr/lib/postgresql";
        return (Directory.Exists(root) ? Directory.GetDirectories(root) : [])
            .Select(d => (Path: Path.Combine(d, "bin", "psql"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
            .Where(p => p.Version >= 0 && File.Exists(p.Path))
            .OrderByDescending(p => p.Version)
            .Select(p => p.Path)
            .FirstOrDefault() ?? "psql";
    }

    /// <summary>The LegacyData folder beside this source file, or found from the test's folder up to the repository root.</summary>
    private static string FindFixtures([CallerFilePath] string sourceFile = "")
    {
        var besideSource = Path.Combine(Path.GetDirectoryName(sourceFile) ?? "", "LegacyData");
        if (File.Exists(Path.Combine(besideSource, "expected.json"))) return besideSource;
        foreach (var from in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var folder = new DirectoryInfo(from); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "tests", "OrleansDynamo.Process.Tests", "LegacyData");
                if (File.Exists(Path.Combine(candidate, "expected.json"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException($"No LegacyData fixtures beside {sourceFile} or above {AppContext.BaseDirectory}");
    }
}
