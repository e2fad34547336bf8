using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>TransactWriteItems and TransactGetItems, as the API reference and the developer guide's "How it works" describe them.</summary>
[Collection(ServerCollection.Name)]
public sealed class TransactionTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = S(pk) };

    private static TransactWriteItem Put(string table, string pk, string? value = null, string? condition = null) => new()
    {
        Put = new Put
        {
            TableName = table,
            Item = value is null ? Key(pk) : new() { ["pk"] = S(pk), ["v"] = S(value) },
            ConditionExpression = condition,
        },
    };

    private static TransactWriteItem Check(string table, string pk, string condition, bool allOld = false) => new()
    {
        ConditionCheck = new ConditionCheck
        {
            TableName = table,
            Key = Key(pk),
            ConditionExpression = condition,
            ReturnValuesOnConditionCheckFailure = allOld ? ReturnValuesOnConditionCheckFailure.ALL_OLD : null,
        },
    };

    private static TransactWriteItem Add(string table, string pk, int amount, string? condition = null) => new()
    {
        Update = new Update
        {
            TableName = table,
            Key = Key(pk),
            UpdateExpression = "ADD n :a",
            ConditionExpression = condition,
            // A condition may compare with :min, the amount's size (an account must cover what it gives).
            ExpressionAttributeValues = condition is null
                ? new() { [":a"] = N(amount.ToString()) }
                : new() { [":a"] = N(amount.ToString()), [":min"] = N(Math.Abs(amount).ToString()) },
        },
    };

    private Task<TransactWriteItemsResponse> WriteAsync(params TransactWriteItem[] actions) =>
        Client.TransactWriteItemsAsync(new TransactWriteItemsRequest { TransactItems = [.. actions] });

    private async Task<string?> ValueAsync(string table, string pk)
    {
        var item = (await Client.GetItemAsync(table, Key(pk))).Item;
        return item is { Count: > 0 } && item.TryGetValue("v", out var v) ? v.S : null;
    }

    private async Task<bool> ExistsAsync(string table, string pk) => (await Client.GetItemAsync(table, Key(pk))).IsItemSet;

    [Fact]
    public async Task TransactWriteItems_puts_updates_and_deletes_across_tables_all_together()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        await Client.PutItemAsync(first, new() { ["pk"] = S("gone"), ["v"] = S("x") });
        await Client.PutItemAsync(second, new() { ["pk"] = S("counter"), ["n"] = N("5") });

        await WriteAsync(
            Put(first, "a", "1"),
            new TransactWriteItem { Delete = new Delete { TableName = first, Key = Key("gone") } },
            Add(second, "counter", 3),
            Check(second, "other", "attribute_not_exists(pk)"));

        Assert.Equal("1", await ValueAsync(first, "a"));
        Assert.False(await ExistsAsync(first, "gone"));
        Assert.Equal("8", (await Client.GetItemAsync(second, Key("counter"))).Item["n"].N);
        Assert.False(await ExistsAsync(second, "other"));
    }

    [Fact]
    public async Task A_failed_condition_cancels_every_action_with_one_reason_each()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("taken"), ["v"] = S("old") });

        var error = await Assert.ThrowsAsync<TransactionCanceledException>(() => WriteAsync(
            Put(table, "new", "1"),
            Put(table, "taken", "2", condition: "attribute_not_exists(pk)"),
            Add(table, "count", 1)));

        Assert.Equal("Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]", error.Message);
        Assert.Equal(["None", "ConditionalCheckFailed", "None"], error.CancellationReasons.Select(r => r.Code));
        Assert.Null(error.CancellationReasons[0].Message);
        Assert.Equal("The conditional request failed", error.CancellationReasons[1].Message);
        Assert.True(error.CancellationReasons[1].Item is null or { Count: 0 });
        Assert.False(await ExistsAsync(table, "new"));
        Assert.False(await ExistsAsync(table, "count"));
        Assert.Equal("old", await ValueAsync(table, "taken"));
    }

    [Fact]
    public async Task A_failed_condition_returns_the_item_when_asked_with_ALL_OLD()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["v"] = S("seen") });

        var error = await Assert.ThrowsAsync<TransactionCanceledException>(() => WriteAsync(
            Check(table, "k", "attribute_not_exists(pk)", allOld: true), Put(table, "other")));

        Assert.Equal("ConditionalCheckFailed", error.CancellationReasons[0].Code);
        Assert.Equal("seen", error.CancellationReasons[0].Item["v"].S);
        Assert.Equal("None", error.CancellationReasons[1].Code);
    }

    [Fact]
    public async Task An_update_that_fails_on_the_item_is_a_ValidationError_reason()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["n"] = S("text") });

        var error = await Assert.ThrowsAsync<TransactionCanceledException>(() => WriteAsync(Put(table, "a"), Add(table, "k", 1)));

        Assert.Equal(["None", "ValidationError"], error.CancellationReasons.Select(r => r.Code));
        Assert.False(string.IsNullOrEmpty(error.CancellationReasons[1].Message));
        Assert.False(await ExistsAsync(table, "a"));
    }

    [Fact]
    public async Task Two_actions_on_one_item_are_a_ValidationException()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => WriteAsync(Put(table, "k"), Check(table, "k", "attribute_exists(pk)")));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("Transaction request cannot include multiple operations on one item", error.Message);
    }

    [Fact]
    public async Task An_action_with_two_operations_is_a_ValidationException()
    {
        var table = await CreateAsync(Client);
        var both = Put(table, "k");
        both.Delete = new Delete { TableName = table, Key = Key("j") };
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => WriteAsync(both));
        Assert.Equal("TransactItems can only contain one of Check, Put, Update or Delete", error.Message);
    }

    [Fact]
    public async Task More_than_100_actions_are_a_constraint_violation()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() =>
            WriteAsync(Enumerable.Range(0, 101).Select(i => Put(table, $"k{i}")).ToArray()));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.StartsWith("1 validation error detected: Value '[com.amazonaws.dynamodb.v20120810.TransactWriteItem@", error.Message);
        Assert.EndsWith("at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100", error.Message);
    }

    [Fact]
    public async Task One_hundred_actions_spread_over_partitions_commit()
    {
        var table = await CreateAsync(Client);
        await WriteAsync(Enumerable.Range(0, 100).Select(i => Put(table, $"k{i}", "v")).ToArray());
        Assert.Equal(100, (await Client.ScanAsync(new ScanRequest { TableName = table })).Count);
    }

    [Fact]
    public async Task A_ConditionCheck_needs_a_ConditionExpression()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => WriteAsync(new TransactWriteItem
        {
            ConditionCheck = new ConditionCheck { TableName = table, Key = Key("k") },
        }));
        Assert.Equal("1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public async Task A_transaction_on_a_missing_table_is_ResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => WriteAsync(Put(NewName(), "k")));
        Assert.Equal("Requested resource not found", error.Message);
    }

    [Fact]
    public async Task A_token_longer_than_36_characters_is_a_constraint_violation()
    {
        var table = await CreateAsync(Client);
        var token = new string('t', 37);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = [Put(table, "k")],
            ClientRequestToken = token,
        }));
        Assert.Equal($"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36", error.Message);
    }

    [Fact]
    public async Task The_same_token_and_request_apply_once_and_a_different_request_is_a_mismatch()
    {
        var table = await CreateAsync(Client);
        var token = Guid.NewGuid().ToString();
        TransactWriteItemsRequest Request(int amount) => new()
        {
            TransactItems = [Add(table, "counter", amount)],
            ClientRequestToken = token,
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        };

        var first = await Client.TransactWriteItemsAsync(Request(1));
        var again = await Client.TransactWriteItemsAsync(Request(1));

        Assert.Equal("1", (await Client.GetItemAsync(table, Key("counter"))).Item["n"].N);
        Assert.Equal(2, first.ConsumedCapacity.Single().WriteCapacityUnits);
        Assert.Equal(2, again.ConsumedCapacity.Single().ReadCapacityUnits);
        await Assert.ThrowsAsync<IdempotentParameterMismatchException>(() => Client.TransactWriteItemsAsync(Request(2)));
        Assert.Equal("1", (await Client.GetItemAsync(table, Key("counter"))).Item["n"].N);
    }

    [Fact]
    public async Task The_same_token_sent_twice_at_once_applies_once()
    {
        var table = await CreateAsync(Client);
        var request = new TransactWriteItemsRequest
        {
            TransactItems = [Add(table, "counter", 1), Put(table, "other")],
            ClientRequestToken = Guid.NewGuid().ToString(),
        };
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await Client.TransactWriteItemsAsync(request);
                return "ok";
            }
            catch (TransactionInProgressException e)
            {
                Assert.Equal("Transaction from previous request is still in progress", e.Message);
                return "in progress";
            }
            catch (TransactionCanceledException)
            {
                return "cancelled";
            }
        }));
        Assert.Contains("ok", outcomes);
        Assert.Equal("1", (await Client.GetItemAsync(table, Key("counter"))).Item["n"].N);
        // Once it is complete, the same request is answered as the first one was.
        await Client.TransactWriteItemsAsync(request);
        Assert.Equal("1", (await Client.GetItemAsync(table, Key("counter"))).Item["n"].N);
    }

    [Fact]
    public async Task More_than_4_MB_in_one_transaction_is_a_ValidationException()
    {
        var table = await CreateAsync(Client);
        var big = new string('x', 390 * 1024);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => WriteAsync(Enumerable.Range(0, 11).Select(i => Put(table, $"k{i}", big)).ToArray()));
        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Equal("Transaction request size has exceeded the maximum allowed size of 4 MB", error.Message);
        Assert.False(await ExistsAsync(table, "k0"));
    }

    [Fact]
    public async Task Transactional_writes_cost_double_per_table()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        var response = await Client.TransactWriteItemsAsync(new TransactWriteItemsRequest
        {
            TransactItems = [Put(first, "a"), Put(first, "b", new string('x', 1500)), Put(second, "c")],
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });
        var byTable = response.ConsumedCapacity.ToDictionary(c => c.TableName);
        // 1 KB units, doubled: 2 for "a", 4 for "b" (about 1.5 KB), 2 for "c".
        Assert.Equal(6, byTable[first].CapacityUnits);
        Assert.Equal(6, byTable[first].WriteCapacityUnits);
        Assert.Equal(2, byTable[second].CapacityUnits);
    }

    [Fact]
    public async Task Once_a_transaction_commits_its_items_take_single_item_writes_again()
    {
        var table = await CreateAsync(Client);
        await WriteAsync(Put(table, "k", "1"));
        await Client.PutItemAsync(table, new() { ["pk"] = S("k"), ["v"] = S("2") });
        Assert.Equal("2", await ValueAsync(table, "k"));
    }

    [Fact]
    public async Task Overlapping_transactions_never_wait_and_never_both_apply()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("hot"), ["n"] = N("0") });
        var attempts = Enumerable.Range(0, 40).Select(async i =>
        {
            try
            {
                await WriteAsync(Add(table, "hot", 1), Put(table, $"mark{i}"));
                return (Committed: true, Conflict: false);
            }
            catch (TransactionCanceledException e)
            {
                Assert.Contains(e.CancellationReasons, r => r.Code == "TransactionConflict");
                Assert.All(e.CancellationReasons.Where(r => r.Code == "TransactionConflict"), r => Assert.Equal("Transaction is ongoing for the item", r.Message));
                return (Committed: false, Conflict: true);
            }
        });
        var outcomes = await Task.WhenAll(attempts);

        var committed = outcomes.Count(o => o.Committed);
        Assert.True(committed >= 1);
        Assert.Equal(committed.ToString(), (await Client.GetItemAsync(table, Key("hot"))).Item["n"].N);
        var marks = (await Client.ScanAsync(new ScanRequest { TableName = table })).Items.Count(i => i["pk"].S.StartsWith("mark"));
        Assert.Equal(committed, marks);
    }

    [Fact]
    public async Task Single_item_writes_racing_a_transaction_either_conflict_or_serialize()
    {
        var table = await CreateAsync(Client);
        await Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["n"] = N("0") });
        await Client.PutItemAsync(table, new() { ["pk"] = S("b"), ["n"] = N("0") });
        var singles = 0;
        var transactions = 0;
        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            try
            {
                if (i % 2 == 0)
                {
                    await WriteAsync(Add(table, "a", 1), Add(table, "b", 1));
                    Interlocked.Increment(ref transactions);
                }
                else
                {
                    await Client.UpdateItemAsync(new UpdateItemRequest
                    {
                        TableName = table,
                        Key = Key("a"),
                        UpdateExpression = "ADD n :one",
                        ExpressionAttributeValues = new() { [":one"] = N("1") },
                    });
                    Interlocked.Increment(ref singles);
                }
            }
            catch (TransactionConflictException e)
            {
                Assert.Equal("Transaction is ongoing for the item", e.Message);
            }
            catch (TransactionCanceledException)
            {
            }
        }));
        Assert.Equal((transactions + singles).ToString(), (await Client.GetItemAsync(table, Key("a"))).Item["n"].N);
        Assert.Equal(transactions.ToString(), (await Client.GetItemAsync(table, Key("b"))).Item["n"].N);
    }

    [Fact]
    public async Task TransactGetItems_reads_across_tables_in_order_with_projections_and_missing_items()
    {
        var first = await CreateAsync(Client);
        var second = await CreateAsync(Client);
        await Client.PutItemAsync(first, new() { ["pk"] = S("a"), ["v"] = S("1"), ["w"] = S("x") });
        await Client.PutItemAsync(second, new() { ["pk"] = S("b"), ["v"] = S("2") });

        var response = await Client.TransactGetItemsAsync(new TransactGetItemsRequest
        {
            TransactItems =
            [
                new TransactGetItem { Get = new Get { TableName = second, Key = Key("b") } },
                new TransactGetItem { Get = new Get { TableName = first, Key = Key("missing") } },
                new TransactGetItem { Get = new Get { TableName = first, Key = Key("a"), ProjectionExpression = "#v", ExpressionAttributeNames = new() { ["#v"] = "v" } } },
            ],
            ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
        });

        Assert.Equal(3, response.Responses.Count);
        Assert.Equal("2", response.Responses[0].Item["v"].S);
        Assert.True(response.Responses[1].Item is null or { Count: 0 });
        Assert.Equal(["v"], response.Responses[2].Item.Keys);
        var byTable = response.ConsumedCapacity.ToDictionary(c => c.TableName);
        // Two strongly consistent reads per item, found or not.
        Assert.Equal(4, byTable[first].CapacityUnits);
        Assert.Equal(2, byTable[second].ReadCapacityUnits);
    }

    [Fact]
    public async Task TransactGetItems_of_one_item_twice_is_a_ValidationException()
    {
        var table = await CreateAsync(Client);
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.TransactGetItemsAsync(new TransactGetItemsRequest
        {
            TransactItems = [new TransactGetItem { Get = new Get { TableName = table, Key = Key("k") } }, new TransactGetItem { Get = new Get { TableName = table, Key = Key("k") } }],
        }));
        Assert.Equal("Transaction request cannot include multiple operations on one item", error.Message);
    }

    [Fact]
    public async Task Snapshots_taken_during_transfers_always_sum_to_the_total()
    {
        const int accounts = 6;
        const int total = 600;
        var table = await CreateAsync(Client);
        for (var i = 0; i < accounts; i++) await Client.PutItemAsync(table, new() { ["pk"] = S($"acct{i}"), ["n"] = N((total / accounts).ToString()) });

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var random = new Random(42);
        var transfers = Enumerable.Range(0, 4).Select(async worker =>
        {
            var committed = 0;
            while (!stop.IsCancellationRequested)
            {
                int from, to;
                lock (random) { from = random.Next(accounts); to = (from + 1 + random.Next(accounts - 1)) % accounts; }
                try
                {
                    await WriteAsync(Add(table, $"acct{from}", -5, "n >= :min"), Add(table, $"acct{to}", 5));
                    committed++;
                }
                catch (TransactionCanceledException)
                {
                }
            }
            return committed;
        }).ToList();
        var snapshots = 0;
        var readers = Enumerable.Range(0, 2).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var snapshot = await Client.TransactGetItemsAsync(new TransactGetItemsRequest
                    {
                        TransactItems = Enumerable.Range(0, accounts).Select(i => new TransactGetItem { Get = new Get { TableName = table, Key = Key($"acct{i}") } }).ToList(),
                    });
                    Assert.Equal(total, snapshot.Responses.Sum(r => int.Parse(r.Item["n"].N)));
                    Interlocked.Increment(ref snapshots);
                }
                catch (TransactionCanceledException e)
                {
                    Assert.All(e.CancellationReasons, r => Assert.Contains(r.Code, new[] { "None", "TransactionConflict" }));
                }
            }
        }).ToList();
        var done = await Task.WhenAll(transfers);
        await Task.WhenAll(readers);

        Assert.True(done.Sum() > 0, "no transfer committed");
        Assert.True(snapshots > 0, "no snapshot succeeded");
        var scan = await Client.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true });
        Assert.Equal(total, scan.Items.Sum(i => int.Parse(i["n"].N)));
    }
}
