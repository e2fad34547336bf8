using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>PartiQL through the AWS SDK: ExecuteStatement for each statement form, BatchExecuteStatement and ExecuteTransaction.</summary>
[Collection(ServerCollection.Name)]
public sealed class PartiQLTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private Task<ExecuteStatementResponse> RunAsync(string statement, params AttributeValue[] parameters) =>
        Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = statement, Parameters = parameters.Length == 0 ? null : [.. parameters] });

    private async Task<string> FailsAsync<TException>(string statement, params AttributeValue[] parameters) where TException : Exception =>
        (await Assert.ThrowsAsync<TException>(() => RunAsync(statement, parameters))).Message;

    [Fact]
    public async Task Insert_select_update_and_delete_one_item()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        await RunAsync($"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'sk': 1, 'name': 'Ann', 'tags': <<'x', 'y'>>, 'doc': {{'list': [1, 'two', TRUE, NULL]}}}}");
        var item = (await Client.GetItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1") })).Item;
        Assert.Equal("Ann", item["name"].S);
        Assert.Equal(["x", "y"], item["tags"].SS.Order());
        Assert.Equal("two", item["doc"].M["list"].L[1].S);
        Assert.True(item["doc"].M["list"].L[3].NULL);

        Assert.Equal("Duplicate primary key exists in table",
            await FailsAsync<DuplicateItemException>($"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'sk': 1}}"));

        var selected = await RunAsync($"SELECT name, doc.list[1] FROM \"{table}\" WHERE pk = ? AND sk = ?", S("a"), N("1"));
        var row = Assert.Single(selected.Items);
        Assert.Equal("Ann", row["name"].S);
        Assert.Equal("two", row["list"].S); // a nested path comes back under its last name

        var updated = await RunAsync($"UPDATE \"{table}\" SET name = 'Bob' SET tags = set_add(tags, <<'z'>>) REMOVE doc WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *");
        var after = Assert.Single(updated.Items);
        Assert.Equal("Bob", after["name"].S);
        Assert.Equal(["x", "y", "z"], after["tags"].SS.Order());
        Assert.False(after.ContainsKey("doc"));

        await FailsAsync<ConditionalCheckFailedException>($"UPDATE \"{table}\" SET name = 'X' WHERE pk = 'a' AND sk = 1 AND name = 'Nobody'");
        await FailsAsync<ConditionalCheckFailedException>($"UPDATE \"{table}\" SET name = 'X' WHERE pk = 'missing' AND sk = 1");

        var deleted = await RunAsync($"DELETE FROM \"{table}\" WHERE pk = 'a' AND sk = 1 RETURNING ALL OLD *");
        Assert.Equal("Bob", Assert.Single(deleted.Items)["name"].S);
        Assert.Empty((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk = 'a'")).Items);
    }

    [Fact]
    public async Task Select_queries_by_partition_key_scans_otherwise_and_pages()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        for (var i = 0; i < 10; i++)
            await Client.PutItemAsync(table, new() { ["pk"] = S(i < 6 ? "p" : "q"), ["sk"] = N($"{i}"), ["even"] = new AttributeValue { BOOL = i % 2 == 0 } });

        var query = await RunAsync($"SELECT * FROM \"{table}\" WHERE pk = 'p' AND sk BETWEEN 1 AND 4 AND even = TRUE");
        Assert.Equal(["2", "4"], query.Items.Select(i => i["sk"].N));
        var descending = await RunAsync($"SELECT sk FROM \"{table}\" WHERE pk = 'p' ORDER BY sk DESC");
        Assert.Equal(["5", "4", "3", "2", "1", "0"], descending.Items.Select(i => i["sk"].N));
        var scan = await RunAsync($"SELECT sk FROM \"{table}\" WHERE sk >= 3 AND (pk = 'q' OR sk IN [3, 4]) AND sk IS NOT MISSING");
        Assert.Equal(["3", "4", "6", "7", "8", "9"], scan.Items.Select(i => i["sk"].N).Order());
        Assert.Equal(["0", "1"], (await RunAsync($"SELECT * FROM \"{table}\" WHERE pk = 'p' AND sk < 2")).Items.Select(i => i["sk"].N));
        Assert.Single((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk = 'p' AND begins_with(pk, 'p') AND sk = 0")).Items);
        // Conditions on key attributes beyond the key condition are applied to the items read (a Query filter may not name keys).
        var window = await RunAsync($"SELECT even FROM \"{table}\" WHERE pk = 'p' AND sk > 1 AND sk < 4 AND even = TRUE");
        Assert.Equal([true], window.Items.Select(i => i["even"].BOOL ?? false));
        Assert.False(window.Items[0].ContainsKey("sk"));

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'p'", Limit = 4, NextToken = token });
            Assert.InRange(page.Items.Count, 0, 4);
            seen.AddRange(page.Items.Select(i => i["sk"].N));
            token = page.NextToken;
        } while (token is not null);
        Assert.Equal(["0", "1", "2", "3", "4", "5"], seen);
    }

    [Fact]
    public async Task Statements_are_checked_as_DynamoDB_checks_them()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        Assert.Equal("Statement wasn't well formed, can't be processed: Expected data manipulation", await FailsAsync<AmazonDynamoDBException>($"SELEC * FROM \"{table}\""));
        Assert.Equal("Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.",
            await FailsAsync<AmazonDynamoDBException>($"DELETE FROM \"{table}\" WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED OLD *"));
        Assert.StartsWith("Statement wasn't well formed, can't be processed:", await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE"));
        Assert.Equal("Number of parameters in request and statement don't match.",
            await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk = ? AND sk = ?", S("a")));
        Assert.Equal("Where clause does not contain a mandatory equality on all key attributes",
            await FailsAsync<AmazonDynamoDBException>($"UPDATE \"{table}\" SET a = 1 WHERE pk = 'a'"));
        Assert.Equal("Where clause does not contain a mandatory equality on all key attributes",
            await FailsAsync<AmazonDynamoDBException>($"DELETE FROM \"{table}\" WHERE sk = 1"));
        await FailsAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>("SELECT * FROM \"no-such-table\"");
        var empty = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = new string('x', 0) }));
        Assert.Equal("ValidationException", empty.ErrorCode);
    }

    [Fact]
    public async Task BatchExecuteStatement_answers_each_statement_on_its_own()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("taken") });
        var writes = await Client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new BatchStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'new', 'v': 1}}" },
                new BatchStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': ?}}", Parameters = [S("taken")] },
                new BatchStatementRequest { Statement = $"UPDATE \"{table}\" SET v = 2 WHERE pk = 'absent'" },
            ],
        });
        Assert.Null(writes.Responses[0].Error);
        Assert.Equal("DuplicateItem", writes.Responses[1].Error.Code);
        Assert.Equal("ConditionalCheckFailed", writes.Responses[2].Error.Code);
        Assert.All(writes.Responses, r => Assert.Equal(table, r.TableName));

        var reads = await Client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new BatchStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'new'" },
                new BatchStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'absent'" },
            ],
        });
        Assert.Equal("1", reads.Responses[0].Item["v"].N);
        Assert.True(reads.Responses[1].Item is null or { Count: 0 });

        var counted = await Client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            ReturnConsumedCapacity = "TOTAL",
            Statements =
            [
                new BatchStatementRequest { Statement = $"UPDATE \"{table}\" SET v = 2 WHERE pk = 'new'" },
                new BatchStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'third'}}" },
            ],
        });
        var written = Assert.Single(counted.ConsumedCapacity);
        Assert.Equal(table, written.TableName);
        Assert.Equal(2, written.CapacityUnits); // two writes of under 1 KB
        var uncounted = await Client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements = [new BatchStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'new'" }],
        });
        Assert.True(uncounted.ConsumedCapacity is null or { Count: 0 }); // only when asked for

        var mixed = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new BatchStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'new'" },
                new BatchStatementRequest { Statement = $"DELETE FROM \"{table}\" WHERE pk = 'new'" },
            ],
        }));
        Assert.Equal("Read and write requests together in the same batch is not supported.", mixed.Message);
    }

    [Fact]
    public async Task ExecuteTransaction_writes_all_or_nothing_and_reads_a_snapshot()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("from"), ["balance"] = N("10") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("to"), ["balance"] = N("0") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("bank"), ["open"] = new AttributeValue { BOOL = true } });
        async Task TransferAsync(int amount) => await Client.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new ParameterizedStatement { Statement = $"UPDATE \"{table}\" SET balance = balance - ? WHERE pk = 'from' AND balance >= ?", Parameters = [N($"{amount}"), N($"{amount}")] },
                new ParameterizedStatement { Statement = $"UPDATE \"{table}\" SET balance = balance + ? WHERE pk = 'to'", Parameters = [N($"{amount}")] },
                new ParameterizedStatement { Statement = $"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'bank' AND open = TRUE)" },
            ],
        });
        await TransferAsync(7);
        var canceled = await Assert.ThrowsAsync<TransactionCanceledException>(() => TransferAsync(7));
        Assert.Equal(["ConditionalCheckFailed", "None", "None"], canceled.CancellationReasons.Select(r => r.Code));

        var read = await Client.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new ParameterizedStatement { Statement = $"SELECT balance FROM \"{table}\" WHERE pk = 'from'" },
                new ParameterizedStatement { Statement = $"SELECT balance FROM \"{table}\" WHERE pk = 'to'" },
            ],
        });
        Assert.Equal(["3", "7"], read.Responses.Select(r => r.Item["balance"].N));
    }

    [Fact]
    public async Task Parameters_of_every_type_functions_and_update_forms()
    {
        var table = await CreateAsync(Client);
        var map = new AttributeValue { M = new() { ["n"] = N("1"), ["s"] = S("x") } };
        var list = new AttributeValue { L = [N("1"), S("two")] };
        var binary = new AttributeValue { B = new MemoryStream([1, 2, 3]) };
        var numbers = new AttributeValue { NS = ["1", "2"] };
        await RunAsync($"INSERT INTO \"{table}\" VALUE {{'pk': ?, 'm': ?, 'l': ?, 'b': ?, 'ns': ?, 'flag': ?}}",
            S("p"), map, list, binary, numbers, new AttributeValue { BOOL = true });
        var item = (await Client.GetItemAsync(table, new() { ["pk"] = S("p") })).Item;
        Assert.Equal("x", item["m"].M["s"].S);
        Assert.Equal("two", item["l"].L[1].S);
        Assert.Equal(new byte[] { 1, 2, 3 }, item["b"].B.ToArray());
        Assert.Equal(["1", "2"], item["ns"].NS.Order());

        async Task<int> CountAsync(string where) => (await RunAsync($"SELECT * FROM \"{table}\" WHERE {where}")).Items.Count;
        Assert.Equal(1, await CountAsync("contains(l, 'two')"));
        Assert.Equal(1, await CountAsync("size(l) = 2 AND attribute_type(m, 'M')"));
        Assert.Equal(1, await CountAsync("absent IS MISSING AND m.n = 1 AND l[0] = 1"));
        Assert.Equal(0, await CountAsync("m IS MISSING"));
        Assert.Equal(1, await CountAsync("NOT (flag = FALSE) AND flag <> FALSE"));

        var modified = await RunAsync($"UPDATE \"{table}\" SET l = list_append(l, [3]) SET ns = set_delete(ns, <<1>>) SET counter = if_not_exists(counter, 0) + 5 WHERE pk = 'p' RETURNING MODIFIED NEW *");
        var changed = Assert.Single(modified.Items);
        Assert.Equal(3, changed["l"].L.Count);
        Assert.Equal(["2"], changed["ns"].NS);
        Assert.Equal("5", changed["counter"].N);
        Assert.False(changed.ContainsKey("m")); // MODIFIED: only what the update changed

        var old = await RunAsync($"UPDATE \"{table}\" SET counter = counter - 1 WHERE pk = 'p' RETURNING MODIFIED OLD *");
        Assert.Equal("5", Assert.Single(old.Items)["counter"].N);
    }

    [Fact]
    public async Task ExecuteTransaction_takes_all_reads_or_all_writes()
    {
        var table = await CreateAsync(Client);
        var mixed = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new ParameterizedStatement { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'a'" },
                new ParameterizedStatement { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'b'}}" },
            ],
        }));
        Assert.Equal("ExecuteTransaction API does not support both read and write operations in the same request.", mixed.Message);
        var exists = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => RunAsync($"EXISTS(SELECT * FROM \"{table}\" WHERE pk = 'a')"));
        Assert.Equal("EXISTS can only be used in ExecuteTransaction write requests.", exists.Message);
        // A failed INSERT in a transaction cancels it with ConditionalCheckFailed (the item exists).
        await Client.PutItemAsync(table, new() { ["pk"] = S("a") });
        var canceled = await Assert.ThrowsAsync<TransactionCanceledException>(() => Client.ExecuteTransactionAsync(new ExecuteTransactionRequest
        {
            TransactStatements =
            [
                new ParameterizedStatement { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'a'}}" },
                new ParameterizedStatement { Statement = $"INSERT INTO \"{table}\" VALUE {{'pk': 'c'}}" },
            ],
        }));
        Assert.Equal(["ConditionalCheckFailed", "None"], canceled.CancellationReasons.Select(r => r.Code));
        Assert.Empty((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk = 'c'")).Items);
    }

    [Fact]
    public async Task Select_with_IN_or_OR_on_the_partition_key_reads_each_partition_and_pages_across_them()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        foreach (var pk in new[] { "a", "b", "c" })
            for (var i = 0; i < 3; i++)
                await Client.PutItemAsync(table, new() { ["pk"] = S(pk), ["sk"] = N($"{i}"), ["odd"] = new AttributeValue { BOOL = i % 2 == 1 } });

        var keys = (IEnumerable<Dictionary<string, AttributeValue>> items) => items.Select(i => i["pk"].S + i["sk"].N).ToList();
        Assert.Equal(["c0", "c1", "c2", "a0", "a1", "a2"], keys((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk IN ['c', 'a', 'x']")).Items));
        Assert.Equal(["b1", "a1"], keys((await RunAsync($"SELECT * FROM \"{table}\" WHERE (pk = 'b' OR pk = 'a') AND odd = TRUE")).Items));
        Assert.Equal(["c2", "c1", "c0", "b2", "b1", "b0"],
            keys((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk IN ['b', 'c'] ORDER BY pk DESC, sk DESC")).Items));
        Assert.Equal(["a2", "c2"], keys((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk IN [?, ?] AND sk > 1", S("a"), S("c"))).Items));

        // Limit counts the items each partition's Query evaluates; NextToken resumes inside a partition or at the next.
        var statement = $"SELECT * FROM \"{table}\" WHERE pk IN ['a', 'b', 'c'] AND odd = FALSE";
        var pages = new List<List<string>>();
        string? token = null;
        do
        {
            var page = await Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = statement, Limit = 2, NextToken = token });
            pages.Add(keys(page.Items));
            token = page.NextToken;
        } while (token is not null && pages.Count < 10);
        Assert.Equal(["a0", "a2", "b0", "b2", "c0", "c2"], pages.SelectMany(p => p));
        Assert.All(pages, p => Assert.InRange(p.Count, 0, 2));
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");

        var first = await Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = statement, Limit = 1 });
        var mismatch = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'a'", NextToken = first.NextToken,
        }));
        Assert.Equal("NextToken does not match request", mismatch.Message);

        var many = string.Join(", ", Enumerable.Range(0, 51).Select(i => $"'v{i}'"));
        Assert.Contains("at most 50", await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk IN [{many}]"));
    }

    [Fact]
    public async Task Order_by_takes_key_attributes_and_a_partition_key_condition()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        Assert.Equal("Must have WHERE clause in the statement when using ORDER BY clause.",
            await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" ORDER BY sk"));
        Assert.Equal("Variable reference name in ORDER BY clause must be part of the primary key",
            await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE pk = 'a' ORDER BY name"));
        Assert.Equal("Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause.",
            await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE sk = 1 ORDER BY sk"));
    }

    [Fact]
    public async Task IS_tests_types_and_MISSING_is_compared_only_with_IS()
    {
        var table = await CreateAsync(Client);
        await RunAsync($"INSERT INTO \"{table}\" VALUE {{'pk': 'n', 'v': NULL}}");
        await RunAsync($"INSERT INTO \"{table}\" VALUE {{'pk': 's', 'v': 'text'}}");
        await RunAsync($"INSERT INTO \"{table}\" VALUE {{'pk': 'm', 'v': {{'inner': 1}}}}");
        await RunAsync($"INSERT INTO \"{table}\" VALUE {{'pk': 'none'}}");
        async Task<List<string>> WhereAsync(string condition) =>
            (await RunAsync($"SELECT pk FROM \"{table}\" WHERE {condition}")).Items.Select(i => i["pk"].S).Order().ToList();
        Assert.Equal(["n"], await WhereAsync("v IS NULL"));
        Assert.Equal(["m", "n", "s"], await WhereAsync("v IS NOT MISSING"));
        Assert.Equal(["s"], await WhereAsync("v IS STRING"));
        Assert.Equal(["m"], await WhereAsync("v IS TUPLE AND v.inner IS NUMBER"));
        Assert.Equal(["m", "n", "none"], await WhereAsync("v IS NOT STRING"));
        Assert.Equal("MISSING must be compared using IS operator", await FailsAsync<AmazonDynamoDBException>($"SELECT * FROM \"{table}\" WHERE v = MISSING"));
        Assert.Equal("RETURNING is not supported in INSERT",
            await FailsAsync<AmazonDynamoDBException>($"INSERT INTO \"{table}\" VALUE {{'pk': 'r'}} RETURNING ALL OLD *"));

        // A DELETE of a key with no item succeeds and returns nothing.
        Assert.Empty((await RunAsync($"DELETE FROM \"{table}\" WHERE pk = 'absent' RETURNING ALL OLD *")).Items);
    }

    [Fact]
    public async Task Batch_reads_name_the_whole_key_and_transaction_errors_name_their_statement()
    {
        var table = await CreateAsync(Client, rangeKeyType: "N");
        await Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["sk"] = N("1"), ["doc"] = new AttributeValue { M = new() { ["x"] = N("7") } } });
        var reads = await Client.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new BatchStatementRequest { Statement = $"SELECT doc.x FROM \"{table}\" WHERE pk = 'a' AND sk = 1" },
                new BatchStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE pk = 'a'" },
            ],
        });
        Assert.Equal("7", reads.Responses[0].Item["x"].N);
        Assert.Equal(table, reads.Responses[0].TableName);
        Assert.Equal("ValidationError", reads.Responses[1].Error.Code);
        Assert.Equal("Select statements within BatchExecuteStatement must specify the primary key in the where clause.", reads.Responses[1].Error.Message);
        Assert.Null(reads.Responses[1].TableName);

        async Task<string> TransactionFailsAsync(params string[] statements) =>
            (await Assert.ThrowsAsync<AmazonDynamoDBException>(() => Client.ExecuteTransactionAsync(new ExecuteTransactionRequest
            {
                TransactStatements = statements.Select(s => new ParameterizedStatement { Statement = s }).ToList(),
            }))).Message;
        Assert.Equal("Validation failed in TransactStatements[1]: RETURNING clause is not supported in ExecuteTransaction.",
            await TransactionFailsAsync($"INSERT INTO \"{table}\" VALUE {{'pk': 'b', 'sk': 1}}",
                $"UPDATE \"{table}\" SET v = 1 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *"));
        Assert.Equal("Validation failed in TransactStatements[0]: Where clause does not contain a mandatory equality on all key attributes",
            await TransactionFailsAsync($"DELETE FROM \"{table}\" WHERE pk = 'a'"));
        Assert.StartsWith("Validation failed in TransactStatements[0]: Statement wasn't well formed, can't be processed:",
            await TransactionFailsAsync($"UPDATE \"{table}\" WHERE"));
        Assert.Empty((await RunAsync($"SELECT * FROM \"{table}\" WHERE pk = 'b'")).Items);
    }

    [Fact]
    public async Task Capacity_consistent_reads_and_the_old_item_on_a_failed_condition()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["v"] = N("1") });
        foreach (var statement in new[] { $"SELECT * FROM \"{table}\" WHERE pk = 'a'", $"SELECT * FROM \"{table}\" WHERE pk IN ['a', 'b']", $"SELECT * FROM \"{table}\"" })
        {
            var read = await Client.ExecuteStatementAsync(new ExecuteStatementRequest { Statement = statement, ConsistentRead = true, ReturnConsumedCapacity = "TOTAL" });
            Assert.Single(read.Items);
            Assert.Equal(table, read.ConsumedCapacity.TableName);
            Assert.True(read.ConsumedCapacity.CapacityUnits >= 1, statement); // a strongly consistent read of up to 4 KB is 1 unit
        }
        var written = await Client.ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"UPDATE \"{table}\" SET v = 2 WHERE pk = 'a'", ReturnConsumedCapacity = "TOTAL",
        });
        Assert.Equal(1, written.ConsumedCapacity.CapacityUnits);

        var failed = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => Client.ExecuteStatementAsync(new ExecuteStatementRequest
        {
            Statement = $"UPDATE \"{table}\" SET v = 3 WHERE pk = 'a' AND v = 1", ReturnValuesOnConditionCheckFailure = "ALL_OLD",
        }));
        Assert.Equal("2", failed.Item["v"].N);
    }
}
