using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace OrleansDynamo.ProcessTests.Faults;

/// <summary>What a fault run did and what its checker found.</summary>
/// <param name="Partitions">The table's partitions at the end: above its initial ones when it split during the run.</param>
public sealed record FaultRunSummary(long Operations, int Faults, IReadOnlyList<string> Violations, int Partitions)
{
    public override string ToString() => $"operations {Operations}, faults {Faults}, violations {Violations.Count}, partitions {Partitions}";
}

/// <summary>
/// A fault-injection run in the spirit of Jepsen, against server processes on durable storage: workers run
/// conditional increments of a few hot counters, puts of unique items and deletes of them, and index queries, while
/// faults chosen from a seed strike: kill -9 of a silo and a new one in its place on the same storage, SIGSTOP and
/// SIGCONT (in a cluster, longer than the failure detector, so the paused silo is declared dead and replaced), the
/// store's own faults when the run has them (PostgreSQL ending connections, PostgreSQL restarting), and in a cluster
/// silos joining and leaving. A write that got an answer is acknowledged (or refused); one that got none is
/// indeterminate. The checker then reads everything back: every acknowledged put is there unless an acknowledged
/// delete removed it; counters never took two increments from one value and never lost one; the index holds exactly
/// the table's items; a paged Scan returns each item once.
/// </summary>
/// <param name="startSilo">Starts one more silo of the run (for the embedded store: the one server, again).</param>
/// <param name="silos">Silos the run keeps; above one, silos also join and leave, between one fewer and one more.</param>
/// <param name="storeFaults">Faults of the store itself, one picked at random when the store's turn comes.</param>
public sealed class FaultHarness(int seed, TimeSpan duration, Func<Task<ServerProcess>> startSilo, int silos = 1, params Func<Task>[] storeFaults)
{
    private const string Table = "faults";
    private const int Counters = 8;
    private const int Workers = 8;
    private const int Groups = 4;

    private readonly Random _faultRandom = new(seed);
    private readonly ConcurrentDictionary<string, Outcome> _puts = new();
    private readonly ConcurrentBag<(int Counter, long From, Outcome Outcome)> _increments = [];
    private readonly object _membersLock = new();
    private long _operations;
    private volatile Member[] _members = [];

    private enum Outcome { Acknowledged, Indeterminate, Deleted, DeleteIndeterminate }

    private bool IsCluster => silos > 1;

    /// <summary>A silo of the run and a client of it: a silo put in another's place is a new process, on new ports.</summary>
    private sealed class Member(ServerProcess server)
    {
        public ServerProcess Server { get; } = server;
        public IAmazonDynamoDB Client { get; } = server.CreateClient();
    }

    public async Task<FaultRunSummary> RunAsync()
    {
        try
        {
            foreach (var _ in Enumerable.Range(0, silos)) await AddSiloAsync();
            await CreateTableAsync(_members[0].Client);
            using var stop = new CancellationTokenSource(duration);
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkAsync(w, stop.Token))).ToList();
            var faults = await InjectAsync(stop.Token);
            await Task.WhenAll(workers);
            await ReplaceExitedAsync();
            var violations = await CheckAsync();
            return new FaultRunSummary(Interlocked.Read(ref _operations), faults, violations, await CountPartitionsAsync());
        }
        finally
        {
            foreach (var member in _members)
            {
                member.Client.Dispose();
                await member.Server.DisposeAsync();
            }
        }
    }

    private static async Task CreateTableAsync(IAmazonDynamoDB client) => await client.CreateTableAsync(new CreateTableRequest
    {
        TableName = Table, BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
        AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("group", ScalarAttributeType.S)],
        GlobalSecondaryIndexes = [new GlobalSecondaryIndex
        {
            IndexName = "by-group", KeySchema = [new KeySchemaElement("group", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
        }],
    });

    // --- Members ---

    private async Task AddSiloAsync()
    {
        var member = new Member(await startSilo());
        lock (_membersLock) _members = [.. _members, member];
    }

    private async Task RemoveAsync(Member member, bool kill)
    {
        lock (_membersLock) _members = [.. _members.Where(m => m != member)];
        if (kill) await member.Server.KillAsync();
        else
        {
            // A silo that leaves: SIGTERM, and Orleans hands its activations over as it shuts down.
            Signal("TERM", member.Server.Pid);
            if (!await member.Server.WaitForExitAsync(TimeSpan.FromSeconds(30))) await member.Server.KillAsync();
        }
        member.Client.Dispose();
        await member.Server.DisposeAsync();
    }

    /// <summary>A silo that stopped by itself (declared dead while paused, it shuts down when it wakes) gets a successor.</summary>
    private async Task ReplaceExitedAsync()
    {
        foreach (var exited in _members.Where(m => m.Server.HasExited).ToList())
        {
            await RemoveAsync(exited, kill: true);
            await AddSiloAsync();
        }
    }

    /// <summary>The table's active partitions, from <c>GET /admin/partitions/map</c> (the admin port is on loopback).</summary>
    private async Task<int> CountPartitionsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var map = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{_members[0].Server.AdminPort}/admin/partitions/map"));
        return map.RootElement.EnumerateArray().Count(p => p.GetProperty("table").GetString() == Table);
    }

    /// <summary>A silo of the moment; none while the only one is being replaced.</summary>
    private Member? Pick(Random random)
    {
        var members = _members;
        return members.Length == 0 ? null : members[random.Next(members.Length)];
    }

    // --- Faults ---

    private async Task<int> InjectAsync(CancellationToken stop)
    {
        var faults = 0;
        while (true)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_faultRandom.Next(1500, 4000)), stop);
            }
            catch (OperationCanceledException)
            {
                return faults;
            }
            faults++;
            var victim = Pick(_faultRandom)!; // between faults every silo the run keeps is there
            switch (_faultRandom.Next(storeFaults.Length == 0 ? 3 : 4) + (IsCluster && _faultRandom.Next(3) == 0 ? 4 : 0))
            {
                case 0:
                    // In a cluster, longer than the failure detector (about 3 s) half the time.
                    await PauseAsync(victim, TimeSpan.FromMilliseconds(IsCluster ? _faultRandom.Next(1000, 6000) : _faultRandom.Next(500, 2500)));
                    break;
                case 3: await storeFaults[_faultRandom.Next(storeFaults.Length)](); break;
                case >= 4 when _members.Length < silos + 1: await AddSiloAsync(); break;
                case >= 4: await RemoveAsync(victim, kill: false); break;
                default:
                    await RemoveAsync(victim, kill: true);
                    await AddSiloAsync();
                    break;
            }
            await ReplaceExitedAsync();
            while (_members.Length < silos - 1) await AddSiloAsync();
        }
    }

    private static async Task PauseAsync(Member member, TimeSpan pause)
    {
        Signal("STOP", member.Server.Pid);
        await Task.Delay(pause);
        Signal("CONT", member.Server.Pid);
    }

    private static void Signal(string signal, int pid) => Process.Start("kill", ["-" + signal, pid.ToString()])!.WaitForExit();

    // --- Workload ---

    private async Task WorkAsync(int worker, CancellationToken stop)
    {
        var random = new Random(seed * 31 + worker);
        var mine = new List<string>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            if (Pick(random) is not { Client: var client })
            {
                await Task.Delay(100, CancellationToken.None);
                continue;
            }
            try
            {
                switch (random.Next(10))
                {
                    case < 4: await IncrementAsync(client, random.Next(Counters)); break;
                    case < 7: await PutAsync(client, $"w{worker}-{i}", random, mine); break;
                    case < 9 when mine.Count > 0: await DeleteAsync(client, mine, random); break;
                    default: await QueryAsync(client, random.Next(Groups)); break;
                }
                Interlocked.Increment(ref _operations);
            }
            catch (Exception e) when (IsUnavailable(e))
            {
                // The silo is gone or paused, or the store is: try again in a moment, on whichever silo comes up.
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    private static bool IsUnavailable(Exception e) =>
        e is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException or System.Net.Sockets.SocketException
            or ObjectDisposedException // the silo left, and its client with it, while the request was out
        || e is AmazonDynamoDBException { StatusCode: System.Net.HttpStatusCode.InternalServerError or System.Net.HttpStatusCode.ServiceUnavailable }
        || e.InnerException is not null && IsUnavailable(e.InnerException);

    private async Task IncrementAsync(IAmazonDynamoDB client, int counter)
    {
        var key = new Dictionary<string, AttributeValue> { ["pk"] = new() { S = $"counter-{counter}" } };
        var current = (await client.GetItemAsync(new GetItemRequest { TableName = Table, Key = key, ConsistentRead = true })).Item;
        var from = current is { Count: > 0 } && current.TryGetValue("n", out var n) ? long.Parse(n.N) : 0;
        var request = new UpdateItemRequest
        {
            TableName = Table, Key = key, UpdateExpression = "SET n = :next",
            ConditionExpression = from == 0 ? "attribute_not_exists(n)" : "n = :from",
            ExpressionAttributeValues = from == 0
                ? new() { [":next"] = new() { N = "1" } }
                : new() { [":next"] = new() { N = (from + 1).ToString() }, [":from"] = new() { N = from.ToString() } },
        };
        try
        {
            await client.UpdateItemAsync(request);
            _increments.Add((counter, from, Outcome.Acknowledged));
        }
        catch (ConditionalCheckFailedException)
        {
            // Someone else incremented from that value first: nothing happened.
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            _increments.Add((counter, from, Outcome.Indeterminate));
            throw;
        }
    }

    private async Task PutAsync(IAmazonDynamoDB client, string id, Random random, List<string> mine)
    {
        _puts[id] = Outcome.Indeterminate;
        await client.PutItemAsync(Table, new() { ["pk"] = new() { S = id }, ["group"] = new() { S = $"g{random.Next(Groups)}" } });
        _puts[id] = Outcome.Acknowledged;
        mine.Add(id);
    }

    private async Task DeleteAsync(IAmazonDynamoDB client, List<string> mine, Random random)
    {
        var index = random.Next(mine.Count);
        var id = mine[index];
        mine.RemoveAt(index);
        _puts[id] = Outcome.DeleteIndeterminate;
        await client.DeleteItemAsync(Table, new() { ["pk"] = new() { S = id } });
        _puts[id] = Outcome.Deleted;
    }

    private static async Task QueryAsync(IAmazonDynamoDB client, int group) =>
        await client.QueryAsync(new QueryRequest
        {
            TableName = Table, IndexName = "by-group", KeyConditionExpression = "#g = :g",
            ExpressionAttributeNames = new() { ["#g"] = "group" }, ExpressionAttributeValues = new() { [":g"] = new() { S = $"g{group}" } },
        });

    // --- Checker ---

    /// <summary>The check, once the cluster has settled after the last fault (a silo may still be taking over partitions).</summary>
    private async Task<List<string>> CheckAsync()
    {
        for (var settling = Stopwatch.StartNew(); ; await Task.Delay(1000))
        {
            try
            {
                return await CheckAsync(_members[0].Client);
            }
            catch (Exception e) when (IsUnavailable(e) && settling.Elapsed < TimeSpan.FromSeconds(60))
            {
            }
        }
    }

    private async Task<List<string>> CheckAsync(IAmazonDynamoDB client)
    {
        var violations = new List<string>();
        var (items, duplicates) = await ScanAsync(client);
        violations.AddRange(duplicates.Select(d => $"the paged Scan returned {d} more than once"));

        foreach (var (id, outcome) in _puts)
        {
            if (outcome == Outcome.Acknowledged && !items.ContainsKey(id)) violations.Add($"acknowledged put {id} is missing");
            if (outcome == Outcome.Deleted && items.ContainsKey(id)) violations.Add($"acknowledged delete of {id} is undone");
        }
        foreach (var id in items.Keys.Where(k => !k.StartsWith("counter-", StringComparison.Ordinal) && !_puts.ContainsKey(k)))
            violations.Add($"item {id} was never written");

        foreach (var counter in _increments.GroupBy(i => i.Counter))
        {
            var final = items.TryGetValue($"counter-{counter.Key}", out var item) && item.TryGetValue("n", out var n) ? long.Parse(n.N) : 0;
            var acknowledged = counter.Where(i => i.Outcome == Outcome.Acknowledged).ToList();
            foreach (var doubled in acknowledged.GroupBy(i => i.From).Where(g => g.Count() > 1))
                violations.Add($"counter {counter.Key}: {doubled.Count()} acknowledged increments from {doubled.Key}");
            if (acknowledged.Count > 0 && acknowledged.Max(i => i.From) + 1 > final)
                violations.Add($"counter {counter.Key}: an increment to {acknowledged.Max(i => i.From) + 1} was acknowledged, the counter is {final}");
            if (final > counter.Count()) violations.Add($"counter {counter.Key} is {final}, above the {counter.Count()} increments tried");
        }

        // The index converges to exactly the table's items that have a group.
        var expected = items.Where(i => i.Value.ContainsKey("group")).Select(i => i.Key).ToHashSet();
        HashSet<string> indexed = [];
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(200))
        {
            indexed = await IndexedAsync(client);
            if (indexed.SetEquals(expected)) break;
        }
        violations.AddRange(expected.Except(indexed).Select(id => $"index entry of {id} is missing"));
        violations.AddRange(indexed.Except(expected).Select(id => $"index entry of {id} has no item"));
        return violations;
    }

    private static async Task<(Dictionary<string, Dictionary<string, AttributeValue>> Items, List<string> Duplicates)> ScanAsync(IAmazonDynamoDB client)
    {
        var items = new Dictionary<string, Dictionary<string, AttributeValue>>();
        var duplicates = new List<string>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = Table, ExclusiveStartKey = start, ConsistentRead = true, Limit = 97 });
            foreach (var item in page.Items ?? [])
                if (!items.TryAdd(item["pk"].S, item)) duplicates.Add(item["pk"].S);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return (items, duplicates);
    }

    private static async Task<HashSet<string>> IndexedAsync(IAmazonDynamoDB client)
    {
        var ids = new HashSet<string>();
        for (var group = 0; group < Groups; group++)
        {
            Dictionary<string, AttributeValue>? start = null;
            do
            {
                var page = await client.QueryAsync(new QueryRequest
                {
                    TableName = Table, IndexName = "by-group", KeyConditionExpression = "#g = :g", ExclusiveStartKey = start,
                    ExpressionAttributeNames = new() { ["#g"] = "group" }, ExpressionAttributeValues = new() { [":g"] = new() { S = $"g{group}" } },
                });
                foreach (var item in page.Items ?? []) ids.Add(item["pk"].S);
                start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            }
            while (start is not null);
        }
        return ids;
    }
}
