using System.Text;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;
using OrleansDynamo.Storage;

namespace OrleansDynamo.Storage.Tests;

/// <summary>
/// What every <see cref="IPartitionStore"/> must do, as <see cref="MemoryPartitionStore"/> does it. Each
/// store's test class derives from this and supplies a store; the assertions are the same for all.
/// Every test works in spaces of its own (a new incarnation), so stores may share their storage across tests.
/// </summary>
public abstract class PartitionStoreConformance
{
    /// <summary>A store over clean storage. Called once per test; <see cref="ReopenAsync"/> may be called after.</summary>
    protected abstract Task<IPartitionStore> CreateStoreAsync();

    /// <summary>The same storage seen by a new store instance (a restart); the memory store returns itself.</summary>
    protected virtual Task<IPartitionStore> ReopenAsync(IPartitionStore store) => Task.FromResult(store);

    private static StoreSpace NewSpace(string? indexId = null) => new("tbl", Guid.NewGuid().ToString("D"), indexId);

    /// <summary>Opens a partition of a space that has a map (four partitions, unless the test made another): only those take epochs.</summary>
    private static async Task<PartitionOpening> OpenAsync(IPartitionStore store, StoreSpace space, int partitionId)
    {
        await store.EnsureMapAsync(space, PartitionMap.Even(4));
        return await store.OpenAsync(space, partitionId);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
    private static string Text(byte[]? bytes) => bytes is null ? "(none)" : Encoding.UTF8.GetString(bytes);

    private static StoreWrite Put(string key, string value, RecordKind kind = RecordKind.Item) => new(kind, Bytes(key), Bytes(value));
    private static StoreWrite Delete(string key, RecordKind kind = RecordKind.Item) => new(kind, Bytes(key), null);

    private static async Task<string?> GetTextAsync(IPartitionStore store, StoreSpace space, string key, RecordKind kind = RecordKind.Item) =>
        await store.GetAsync(space, kind, Bytes(key)) is { } value ? Encoding.UTF8.GetString(value) : null;

    /// <summary>Every record of a kind, in key order, read in one range.</summary>
    private static async Task<List<(string Key, string Value)>> AllAsync(IPartitionStore store, StoreSpace space, RecordKind kind = RecordKind.Item) =>
        (await store.ReadRangeAsync(space, kind, [], null, forward: true, int.MaxValue)).Select(r => (Text(r.Key), Text(r.Value))).ToList();

    /// <summary>DynamoDB's key order, with no sort key first (an item collection's start).</summary>
    private static readonly IComparer<AttributeValue?> KeyOrder = Comparer<AttributeValue?>.Create((x, y) => KeyComparer.Instance.Compare(x, y));

    private static void AssertMap(PartitionMap expected, PartitionMap actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Ranges, actual.Ranges);
    }

    private static void AssertKeys(IEnumerable<byte[]> expected, IEnumerable<StoreRecord> actual) =>
        Assert.Equal(expected.Select(Convert.ToHexString), actual.Select(r => Convert.ToHexString(r.Key)));

    // ---- Empty spaces and maps ----

    [Fact]
    public async Task An_unknown_space_has_no_map_and_no_records()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();

        Assert.Null(await store.ReadMapAsync(space));
        Assert.Null(await store.GetAsync(space, RecordKind.Item, Bytes("a")));
        Assert.Equal(new byte[]?[] { null, null }, await store.GetManyAsync(space, RecordKind.Item, [Bytes("a"), Bytes("b")]));
        Assert.Empty(await store.GetManyAsync(space, RecordKind.Item, []));
        Assert.Empty(await store.ReadRangeAsync(space, RecordKind.Item, [], null, forward: true, 10));
        Assert.Empty(await store.ReadRangeAsync(space, RecordKind.Item, [], null, forward: false, 10));
        Assert.DoesNotContain(space, await store.ListSpacesAsync());
    }

    [Fact]
    public async Task A_partition_of_a_space_without_a_map_opens_with_no_range_and_is_not_listed()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();

        var opening = await store.OpenAsync(space, 0);

        // Nothing is written for it: a partition of a deleted space leaves nothing behind.
        Assert.Equal(0, opening.Epoch);
        Assert.Null(opening.Range);
        Assert.Equal(0, opening.MapVersion);
        Assert.Null(await store.ReadMapAsync(space));
        Assert.DoesNotContain(space, await store.ListSpacesAsync());
    }

    [Fact]
    public async Task EnsureMap_creates_the_map_once_and_then_returns_the_stored_one()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();

        var created = await store.EnsureMapAsync(space, PartitionMap.Even(4));
        AssertMap(PartitionMap.Even(4), created.Map);
        Assert.Equal(4, created.NextPartitionId);

        var again = await store.EnsureMapAsync(space, PartitionMap.Even(2));
        AssertMap(PartitionMap.Even(4), again.Map);
        Assert.Equal(4, again.NextPartitionId);

        var reopened = await ReopenAsync(store);
        var read = await reopened.ReadMapAsync(space);
        Assert.NotNull(read);
        AssertMap(PartitionMap.Even(4), read.Map);
        Assert.Equal(4, read.NextPartitionId);
        Assert.Contains(space, await reopened.ListSpacesAsync());
    }

    [Fact]
    public async Task EnsureMap_hands_out_ids_after_the_highest_in_the_initial_map()
    {
        var store = await CreateStoreAsync();
        var initial = new PartitionMap(7, [new PartitionRange(3, 0, 99), new PartitionRange(11, 100, ulong.MaxValue)]);

        var stored = await store.EnsureMapAsync(NewSpace(), initial);

        AssertMap(initial, stored.Map);
        Assert.Equal(12, stored.NextPartitionId);
    }

    [Fact]
    public async Task Many_EnsureMap_calls_at_once_agree_on_one_map()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();

        var maps = await Task.WhenAll(Enumerable.Range(1, 8).Select(n => Task.Run(() => store.EnsureMapAsync(space, PartitionMap.Even(n)))));

        var stored = (await store.ReadMapAsync(space))!;
        foreach (var map in maps) AssertMap(stored.Map, map.Map);
    }

    [Fact]
    public async Task Opening_reads_the_partition_range_from_the_map()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var map = (await store.EnsureMapAsync(space, PartitionMap.Even(4))).Map;

        var opening = await store.OpenAsync(space, 2);
        Assert.Equal(map.Ranges[2], opening.Range);
        Assert.Equal(map.Version, opening.MapVersion);

        var unknown = await store.OpenAsync(space, 9);
        Assert.Null(unknown.Range);
        Assert.Equal(map.Version, unknown.MapVersion);
    }

    // ---- Commits and reads ----

    [Fact]
    public async Task Committed_records_read_back_after_reopen()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        await store.CommitAsync(space, 0, epoch, [Put("a", "1"), Put("b", "2"), Put("c", "3")]);
        await store.CommitAsync(space, 0, epoch, [Put("a", "4"), Delete("b"), Put("d", "5")]);

        var reopened = await ReopenAsync(store);
        Assert.Equal("4", await GetTextAsync(reopened, space, "a"));
        Assert.Null(await GetTextAsync(reopened, space, "b"));
        Assert.Equal("3", await GetTextAsync(reopened, space, "c"));
        var many = await reopened.GetManyAsync(space, RecordKind.Item, [Bytes("d"), Bytes("b"), Bytes("a"), Bytes("zz"), Bytes("a")]);
        Assert.Equal(["5", "(none)", "4", "(none)", "4"], many.Select(Text));
        Assert.Equal([("a", "4"), ("c", "3"), ("d", "5")], await AllAsync(reopened, space));
    }

    [Fact]
    public async Task Values_and_keys_round_trip_byte_for_byte()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var large = new byte[400 * 1024];
        new Random(7).NextBytes(large);
        byte[][] keys = [[0x00], [0x00, 0x00], [0xFF], [0xFF, 0xFF, 0x00], everyByte];
        byte[][] values = [everyByte, [], large, [0x00], [0xFF]];
        await store.CommitAsync(space, 0, epoch, keys.Zip(values, (k, v) => new StoreWrite(RecordKind.Item, k, v)).ToList());

        var reopened = await ReopenAsync(store);
        for (var i = 0; i < keys.Length; i++) Assert.Equal(values[i], await reopened.GetAsync(space, RecordKind.Item, keys[i]));
        Assert.Equal(values, await reopened.GetManyAsync(space, RecordKind.Item, keys));
        var all = await reopened.ReadRangeAsync(space, RecordKind.Item, [], null, forward: true, 100);
        AssertKeys(keys.Order(ByteArrayComparer.Instance), all);
    }

    [Fact]
    public async Task The_last_write_of_a_key_in_a_commit_wins()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        await store.CommitAsync(space, 0, epoch, [Put("gone", "there")]);

        await store.CommitAsync(space, 0, epoch,
        [
            Put("a", "1"), Put("a", "2"), Delete("a"), Put("a", "final"),
            Put("b", "1"), Delete("b"),
            Delete("gone"), Put("gone", "back"), Delete("gone"),
            Delete("c"), Put("c", "new"),
        ]);

        var reopened = await ReopenAsync(store);
        Assert.Equal([("a", "final"), ("c", "new")], await AllAsync(reopened, space));
    }

    [Fact]
    public async Task Deletes_remove_records_and_deleting_an_absent_one_is_no_error()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        await store.CommitAsync(space, 0, epoch, [Put("a", "1"), Put("b", "2"), Put("c", "3")]);

        await store.CommitAsync(space, 0, epoch, [Delete("a"), Delete("c"), Delete("never")]);
        await store.CommitAsync(space, 0, epoch, [Delete("a")]);

        Assert.Equal([("b", "2")], await AllAsync(await ReopenAsync(store), space));
    }

    [Fact]
    public async Task An_empty_commit_changes_nothing_and_is_still_fenced()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var stale = (await OpenAsync(store, space, 0)).Epoch;
        await store.CommitAsync(space, 0, stale, [Put("a", "1")]);
        await store.CommitAsync(space, 0, stale, []);
        var current = (await OpenAsync(store, space, 0)).Epoch;

        await Assert.ThrowsAsync<StaleEpochException>(() => store.CommitAsync(space, 0, stale, []));
        await store.CommitAsync(space, 0, current, []);
        Assert.Equal([("a", "1")], await AllAsync(store, space));
    }

    [Fact]
    public async Task Every_record_kind_is_a_namespace_of_its_own()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        var kinds = Enum.GetValues<RecordKind>();
        await store.CommitAsync(space, 0, epoch, kinds.Select(k => Put("same", k.ToString(), k)).ToList());
        await store.CommitAsync(space, 0, epoch, [Put("only-item", "x"), Put("only-meta", "y", RecordKind.Meta)]);

        var reopened = await ReopenAsync(store);
        foreach (var kind in kinds)
        {
            Assert.Equal(kind.ToString(), await GetTextAsync(reopened, space, "same", kind));
            Assert.Equal([kind.ToString()], (await reopened.GetManyAsync(space, kind, [Bytes("same")])).Select(Text));
            var expected = new List<(string, string)> { ("same", kind.ToString()) };
            if (kind == RecordKind.Item) expected.Insert(0, ("only-item", "x"));
            if (kind == RecordKind.Meta) expected.Insert(0, ("only-meta", "y"));
            Assert.Equal(expected, await AllAsync(reopened, space, kind));
        }

        // Deleting in one kind leaves the same key in every other.
        var next = (await OpenAsync(reopened, space, 0)).Epoch;
        await reopened.CommitAsync(space, 0, next, [Delete("same", RecordKind.Item), Delete("same", RecordKind.IndexEntry)]);
        foreach (var kind in kinds)
            Assert.Equal(kind is RecordKind.Item or RecordKind.IndexEntry ? null : kind.ToString(), await GetTextAsync(reopened, space, "same", kind));
    }

    [Fact]
    public async Task Spaces_are_isolated()
    {
        var store = await CreateStoreAsync();
        var table = NewSpace();
        var otherIncarnation = table with { Incarnation = Guid.NewGuid().ToString("D") };
        var index = table with { IndexId = "by-name" };
        StoreSpace[] spaces = [table, otherIncarnation, index];
        foreach (var space in spaces)
        {
            await store.EnsureMapAsync(space, PartitionMap.Even(1));
            await store.CommitAsync(space, 0, (await OpenAsync(store, space, 0)).Epoch, [Put("k", space.Name), Put(space.Name, "own")]);
        }

        // Opening a partition of one space does not fence the same partition of another.
        var tableEpoch = (await OpenAsync(store, table, 0)).Epoch;
        var indexEpoch = (await OpenAsync(store, index, 0)).Epoch;
        await store.CommitAsync(table, 0, tableEpoch, [Put("after", "t")]);
        await store.CommitAsync(index, 0, indexEpoch, [Put("after", "i")]);

        var reopened = await ReopenAsync(store);
        Assert.Equal([("after", "t"), ("k", table.Name), (table.Name, "own")], await AllAsync(reopened, table));
        Assert.Equal([("k", otherIncarnation.Name), (otherIncarnation.Name, "own")], await AllAsync(reopened, otherIncarnation));
        Assert.Equal([("after", "i"), ("k", index.Name), (index.Name, "own")], await AllAsync(reopened, index));
        var listed = await reopened.ListSpacesAsync();
        foreach (var space in spaces) Assert.Contains(space, listed);
    }

    [Fact]
    public async Task Large_commits_and_ranges_read_back_completely()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        var blob = new string('x', 1000);
        for (var batch = 0; batch < 4; batch++)
            await store.CommitAsync(space, 0, epoch, Enumerable.Range(batch * 1000, 1000).Select(i => Put($"k{i:D5}", blob)).ToList());

        var reopened = await ReopenAsync(store);
        var keys = new List<string>();
        byte[] from = [];
        while (true)
        {
            var page = await reopened.ReadRangeAsync(space, RecordKind.Item, from, null, forward: true, 700);
            keys.AddRange(page.Select(r => Text(r.Key)));
            if (page.Count < 700) break;
            from = OrderedKeyEncoding.Successor(page[^1].Key);
        }
        Assert.Equal(Enumerable.Range(0, 4000).Select(i => $"k{i:D5}"), keys);
    }

    // ---- Range reads ----

    [Fact]
    public async Task Ranges_include_from_exclude_to_and_run_to_the_end_without_to()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        await store.CommitAsync(space, 0, epoch, new[] { "a", "b", "ba", "c", "d" }.Select(k => Put(k, k)).ToList());
        await store.CommitAsync(space, 0, epoch, [Put("b", "other kind", RecordKind.Meta)]);

        async Task<string> Read(string from, string? to, bool forward = true, int limit = 100) =>
            string.Join(",", (await store.ReadRangeAsync(space, RecordKind.Item, Bytes(from), to is null ? null : Bytes(to), forward, limit)).Select(r => Text(r.Key)));

        Assert.Equal("b,ba,c", await Read("b", "d"));
        Assert.Equal("c,ba,b", await Read("b", "d", forward: false));
        Assert.Equal("b,ba,c,d", await Read("b", null));
        Assert.Equal("d,c,ba,b", await Read("b", null, forward: false));
        Assert.Equal("b,ba", await Read("b", "d", limit: 2));
        Assert.Equal("c,ba", await Read("b", "d", forward: false, limit: 2));
        Assert.Equal("d,c", await Read("", null, forward: false, limit: 2));
        Assert.Equal("ba,c", await Read("b\0", "c\0"));
        Assert.Equal("", await Read("b", "b"));
        Assert.Equal("", await Read("c", "b"));
        Assert.Equal("", await Read("c", "b", forward: false));
        Assert.Equal("", await Read("e", null));
        Assert.Equal("", await Read("e", null, forward: false));
        Assert.Equal("", await Read("", "a"));
        Assert.Equal("", await Read("a", "d", limit: 0));
        Assert.Equal("", await Read("a", "d", forward: false, limit: 0));
    }

    [Fact]
    public async Task Random_ranges_match_a_sorted_model()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        var random = new Random(20261201);
        byte[] RandomKey() => Enumerable.Range(0, random.Next(0, 4)).Select(_ => (byte)(random.Next(0, 4) switch { 0 => 0x00, 1 => 0x01, 2 => 0x80, _ => 0xFF })).ToArray();
        var keys = new SortedSet<byte[]>(ByteArrayComparer.Instance);
        while (keys.Count < 60) keys.Add(RandomKey());
        await store.CommitAsync(space, 0, epoch, keys.Select(k => new StoreWrite(RecordKind.Item, k, k)).ToList());

        for (var i = 0; i < 150; i++)
        {
            var from = RandomKey();
            var to = random.Next(4) == 0 ? null : RandomKey();
            var forward = random.Next(2) == 0;
            var limit = random.Next(0, 4) == 0 ? int.MaxValue : random.Next(0, 20);
            var expected = keys.Where(k => ByteArrayComparer.Instance.Compare(k, from) >= 0 && (to is null || ByteArrayComparer.Instance.Compare(k, to) < 0));
            if (!forward) expected = expected.Reverse();
            var actual = await store.ReadRangeAsync(space, RecordKind.Item, from, to, forward, limit);
            AssertKeys(expected.Take(limit), actual);
            Assert.All(actual, r => Assert.Equal(r.Key, r.Value));
        }
    }

    /// <summary>Key values whose encodings must order as DynamoDB orders them: per type, in DynamoDB order.</summary>
    private static readonly string[] Strings = ["", "A", "B", "a", "a\0", "a\0b", "a\u0001", "ab", "b", "é", "\uFF21", "\U0001F600", "\U0001F600a"];
    private static readonly string[] Numbers =
    [
        "-9.9999999999999999999999999999999999999E+125", "-1e10", "-123.456e3", "-100", "-12.5", "-12", "-1.01", "-1",
        "-0.5", "-0.001", "-1E-130", "0", "1E-130", "0.001", "0.0011", "0.5", "1", "1.01", "1.1", "9", "10", "12",
        "12.5", "1e2", "123.456e3", "1e10", "9.9999999999999999999999999999999999999E+125",
    ];
    private static readonly byte[][] Binaries = [[], [0x00], [0x00, 0x00], [0x00, 0x01], [0x00, 0xFF], [0x01], [0x7F], [0x80], [0xFF], [0xFF, 0x00], [0xFF, 0xFF]];

    [Fact]
    public async Task Item_keys_read_back_in_DynamoDB_key_order_within_and_across_hashes()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;

        // Item collections with sort keys of each type, and items without a sort key whose partition keys
        // are of each type; some collections share a hash (a store key need not come from the real hash).
        var items = new List<(ulong Hash, AttributeValue Pk, AttributeValue? Sk)>();
        var sortKeys = new[]
        {
            Strings.Select(AttributeValue.FromS).ToArray(),
            Numbers.Select(AttributeValue.FromN).ToArray(),
            Binaries.Select(b => AttributeValue.FromB(b)).ToArray(),
        };
        for (var c = 0; c < 9; c++)
        {
            var pk = c % 3 == 0 ? AttributeValue.FromS($"user{c}") : c % 3 == 1 ? AttributeValue.FromN($"{c}") : AttributeValue.FromB([(byte)c]);
            var hash = c < 6 ? KeyBytes.PartitionHash(pk) : 0x8000_0000_0000_0000UL; // the last three share one hash
            items.AddRange(sortKeys[c % 3].Select(sk => (hash, pk, (AttributeValue?)sk)));
        }
        foreach (var pk in Strings.Select(AttributeValue.FromS).Concat(Numbers.Select(AttributeValue.FromN)).Concat(Binaries.Select(b => AttributeValue.FromB(b))))
        {
            items.Add((KeyBytes.PartitionHash(pk), pk, null));
            items.Add((0x0000_0000_0000_0001UL, pk, null)); // and all of them at one hash
        }
        await store.CommitAsync(space, 0, epoch, items.Select(i => new StoreWrite(RecordKind.Item, StoreKeys.Item(i.Hash, i.Pk, i.Sk), Bytes(i.Pk + "|" + i.Sk))).ToList());

        // DynamoDB's order within a hash: partition key, then sort key (values of different types never meet in a table).
        var expected = items
            .OrderBy(i => i.Hash)
            .ThenBy(i => i.Pk, KeyComparer.Instance)
            .ThenBy(i => i.Sk, KeyOrder)
            .Select(i => StoreKeys.Item(i.Hash, i.Pk, i.Sk))
            .ToList();
        Assert.Equal(expected.Count, expected.Select(Convert.ToHexString).Distinct().Count());

        var reopened = await ReopenAsync(store);
        AssertKeys(expected, await reopened.ReadRangeAsync(space, RecordKind.Item, [], null, forward: true, int.MaxValue));
        AssertKeys(Enumerable.Reverse(expected), await reopened.ReadRangeAsync(space, RecordKind.Item, [], null, forward: false, int.MaxValue));

        // Paging with small limits across hash boundaries, both ways, gives the same sequence.
        var forwardPages = new List<StoreRecord>();
        byte[] from = [];
        while (await reopened.ReadRangeAsync(space, RecordKind.Item, from, null, forward: true, 7) is { Count: > 0 } page)
        {
            forwardPages.AddRange(page);
            from = OrderedKeyEncoding.Successor(page[^1].Key);
        }
        AssertKeys(expected, forwardPages);
        var backwardPages = new List<StoreRecord>();
        byte[]? to = null;
        while (await reopened.ReadRangeAsync(space, RecordKind.Item, [], to, forward: false, 5) is { Count: > 0 } page)
        {
            backwardPages.AddRange(page);
            to = page[^1].Key;
        }
        AssertKeys(Enumerable.Reverse(expected), backwardPages);

        // One hash, one item collection, and a sort key range of one collection.
        foreach (var hash in items.Select(i => i.Hash).Distinct())
        {
            var atHash = await reopened.ReadRangeAsync(space, RecordKind.Item, StoreKeys.HashStart(hash), StoreKeys.HashEnd(hash), forward: true, int.MaxValue);
            AssertKeys(expected.Where(k => StoreKeys.HashStart(hash).AsSpan().SequenceEqual(k.AsSpan(0, 8))), atHash);
        }
        foreach (var (hash, pk) in items.Where(i => i.Sk is not null).Select(i => (i.Hash, i.Pk)).Distinct())
        {
            var start = StoreKeys.Collection(hash, pk);
            var end = OrderedKeyEncoding.PrefixEnd(start);
            var collection = items.Where(i => i.Hash == hash && KeyComparer.Instance.Compare(i.Pk, pk) == 0).ToList();
            var inOrder = collection.OrderBy(i => i.Sk, KeyOrder).Select(i => StoreKeys.Item(i.Hash, i.Pk, i.Sk)).ToList();
            AssertKeys(inOrder, await reopened.ReadRangeAsync(space, RecordKind.Item, start, end, forward: true, int.MaxValue));
            AssertKeys(Enumerable.Reverse(inOrder).Take(3), await reopened.ReadRangeAsync(space, RecordKind.Item, start, end, forward: false, 3));

            // Sort key between the 3rd (inclusive) and the 3rd last (exclusive).
            var low = collection.OrderBy(i => i.Sk, KeyOrder).ElementAt(2).Sk;
            var high = collection.OrderBy(i => i.Sk, KeyOrder).ElementAt(collection.Count - 3).Sk;
            AssertKeys(inOrder.Skip(2).Take(collection.Count - 5),
                await reopened.ReadRangeAsync(space, RecordKind.Item, StoreKeys.Item(hash, pk, low), StoreKeys.Item(hash, pk, high), forward: true, int.MaxValue));
        }
    }

    // ---- Fencing ----

    [Fact]
    public async Task Opening_again_fences_the_older_epoch_and_its_commit_writes_nothing()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var stale = (await OpenAsync(store, space, 0)).Epoch;
        await store.CommitAsync(space, 0, stale, [Put("kept", "1")]);
        var current = (await OpenAsync(store, space, 0)).Epoch;
        Assert.True(current > stale);

        await Assert.ThrowsAsync<StaleEpochException>(() =>
            store.CommitAsync(space, 0, stale, [Put("a", "stale"), Delete("kept"), Put("m", "stale", RecordKind.Meta)]));
        Assert.Equal([("kept", "1")], await AllAsync(store, space));
        Assert.Empty(await AllAsync(store, space, RecordKind.Meta));

        await store.CommitAsync(space, 0, current, [Put("a", "current")]);
        Assert.Equal([("a", "current"), ("kept", "1")], await AllAsync(await ReopenAsync(store), space));
    }

    [Fact]
    public async Task Epochs_grow_across_reopen_and_are_per_partition()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var first = (await OpenAsync(store, space, 0)).Epoch;
        var other = (await OpenAsync(store, space, 1)).Epoch;

        var reopened = await ReopenAsync(store);
        var second = (await OpenAsync(reopened, space, 0)).Epoch;
        Assert.True(second > first);

        // Partition 1 was not opened again: its epoch still commits.
        await reopened.CommitAsync(space, 1, other, [Put("a", "1")]);
        await Assert.ThrowsAsync<StaleEpochException>(() => reopened.CommitAsync(space, 0, first, [Put("b", "1")]));
        await Assert.ThrowsAsync<StaleEpochException>(() => reopened.CommitAsync(space, 1, second + 100, [Put("c", "1")]));
        Assert.Equal([("a", "1")], await AllAsync(reopened, space));
    }

    [Fact]
    public async Task Concurrent_commits_of_one_epoch_all_land()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await OpenAsync(store, space, 0)).Epoch;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            store.CommitAsync(space, 0, epoch, Enumerable.Range(0, 5).Select(j => Put($"k{i:D2}-{j}", $"{i}")).ToList()))));

        var all = await AllAsync(await ReopenAsync(store), space);
        Assert.Equal(100, all.Count);
        Assert.Equal(Enumerable.Range(0, 20).SelectMany(i => Enumerable.Range(0, 5).Select(j => $"k{i:D2}-{j}")), all.Select(r => r.Key));
    }

    [Fact]
    public async Task Commits_racing_an_open_land_whole_before_it_or_not_at_all()
    {
        var store = await CreateStoreAsync();
        for (var round = 0; round < 4; round++)
        {
            var space = NewSpace();
            var epoch = (await OpenAsync(store, space, 0)).Epoch;

            // Writers commit under the old epoch until they are fenced (or have done 30), 100 records a commit.
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                var landed = new List<string>();
                for (var n = 0; n < 30; n++)
                {
                    var commit = $"w{w}-{n:D5}";
                    try
                    {
                        await store.CommitAsync(space, 0, epoch, Enumerable.Range(0, 100).Select(j => Put($"{commit}-{j:D3}", "v")).ToList());
                        landed.Add(commit);
                    }
                    catch (StaleEpochException)
                    {
                        return (Landed: landed, Rejected: (string?)commit);
                    }
                }
                return (Landed: landed, Rejected: (string?)null);
            })).ToList();
            await Task.Delay(20);
            await store.OpenAsync(space, 0);
            // What the new activation reads once it has its epoch: no commit of the old epoch may land later.
            var seen = (await AllAsync(store, space)).GroupBy(r => r.Key[..r.Key.LastIndexOf('-')]).ToDictionary(g => g.Key, g => g.Count());
            var outcomes = await Task.WhenAll(writers);

            Assert.Equal(outcomes.Sum(o => o.Landed.Count), seen.Count);
            Assert.All(seen.Values, count => Assert.Equal(100, count));
            foreach (var (landed, rejected) in outcomes)
            {
                Assert.All(landed, commit => Assert.Contains(commit, seen.Keys));
                if (rejected is not null) Assert.DoesNotContain(rejected, seen.Keys);
            }
        }
    }

    // ---- Splits ----

    [Fact]
    public async Task A_split_hands_the_upper_part_to_a_new_partition_and_advances_the_parent_epoch()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var initial = (await store.EnsureMapAsync(space, PartitionMap.Even(2))).Map;
        var parent = await store.OpenAsync(space, 0);
        var splitAt = StoreKeys.BucketStart(0x4000);

        var outcome = await store.SplitAsync(space, 0, parent.Epoch, splitAt);

        Assert.Equal(2, outcome.ChildId);
        Assert.True(outcome.ParentEpoch > parent.Epoch);
        PartitionMap expected = new(initial.Version + 1,
            [new PartitionRange(0, 0, splitAt - 1), new PartitionRange(2, splitAt, initial.Ranges[0].End), initial.Ranges[1]]);
        AssertMap(expected, outcome.Map);

        var reopened = await ReopenAsync(store);
        var stored = (await reopened.ReadMapAsync(space))!;
        AssertMap(expected, stored.Map);
        Assert.Equal(3, stored.NextPartitionId);

        // The old epoch is fenced; the epoch the split answered commits.
        await Assert.ThrowsAsync<StaleEpochException>(() => reopened.CommitAsync(space, 0, parent.Epoch, [Put("a", "stale")]));
        await reopened.CommitAsync(space, 0, outcome.ParentEpoch, [Put("a", "current")]);
        Assert.Equal([("a", "current")], await AllAsync(reopened, space));

        // Activations opened after the split see the new ranges.
        var parentAgain = await reopened.OpenAsync(space, 0);
        Assert.Equal(expected.Ranges[0], parentAgain.Range);
        Assert.Equal(expected.Version, parentAgain.MapVersion);
        Assert.True(parentAgain.Epoch > outcome.ParentEpoch);
        var child = await reopened.OpenAsync(space, 2);
        Assert.Equal(expected.Ranges[1], child.Range);

        // Splitting again hands out the next id.
        var second = await reopened.SplitAsync(space, 2, child.Epoch, StoreKeys.BucketStart(0x6000));
        Assert.Equal(3, second.ChildId);
        Assert.Equal(expected.Version + 1, second.Map.Version);
        Assert.Equal([0, 2, 3, 1], second.Map.Ranges.Select(r => r.PartitionId));
        Assert.Equal(4, (await reopened.ReadMapAsync(space))!.NextPartitionId);
    }

    [Fact]
    public async Task A_stale_epoch_cannot_split_and_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var initial = await store.EnsureMapAsync(space, PartitionMap.Even(1));
        var stale = (await OpenAsync(store, space, 0)).Epoch;
        var current = (await OpenAsync(store, space, 0)).Epoch;

        await Assert.ThrowsAsync<StaleEpochException>(() => store.SplitAsync(space, 0, stale, StoreKeys.BucketStart(0x8000)));
        await Assert.ThrowsAsync<StaleEpochException>(() => store.SplitAsync(space, 0, current + 1, StoreKeys.BucketStart(0x8000)));

        var stored = (await store.ReadMapAsync(space))!;
        AssertMap(initial.Map, stored.Map);
        Assert.Equal(initial.NextPartitionId, stored.NextPartitionId);
        await store.CommitAsync(space, 0, current, [Put("a", "1")]);
    }

    [Fact]
    public async Task A_partition_of_a_space_without_a_map_cannot_split()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var epoch = (await store.OpenAsync(space, 0)).Epoch;

        await Assert.ThrowsAsync<StaleEpochException>(() => store.SplitAsync(space, 0, epoch, StoreKeys.BucketStart(0x8000)));
        Assert.Null(await store.ReadMapAsync(space));
        await Assert.ThrowsAsync<StaleEpochException>(() => store.SplitAsync(NewSpace(), 0, 1, StoreKeys.BucketStart(0x8000)));
    }

    [Fact]
    public async Task A_split_point_outside_the_parent_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var initial = await store.EnsureMapAsync(space, PartitionMap.Even(2));
        var epoch = (await OpenAsync(store, space, 1)).Epoch;

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SplitAsync(space, 1, epoch, initial.Map.Ranges[1].Start));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SplitAsync(space, 1, epoch, StoreKeys.BucketStart(0x1000)));

        AssertMap(initial.Map, (await store.ReadMapAsync(space))!.Map);
        await store.CommitAsync(space, 1, epoch, [Put("a", "1")]);
    }

    [Fact]
    public async Task Records_stay_in_place_across_a_split_and_read_by_the_new_ranges()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        await store.EnsureMapAsync(space, PartitionMap.Even(1));
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        var random = new Random(42);
        var hashes = Enumerable.Range(0, 200).Select(_ => ((ulong)random.NextInt64() << 1) | (uint)random.Next(2)).ToList();
        hashes.AddRange([0, ulong.MaxValue, StoreKeys.BucketStart(0x8000) - 1, StoreKeys.BucketStart(0x8000)]);
        var keys = hashes.Select(h => StoreKeys.Item(h, AttributeValue.FromS($"pk{h}"), null)).ToList();
        await store.CommitAsync(space, 0, epoch, keys.Select(k => new StoreWrite(RecordKind.Item, k, k)).ToList());
        var counters = StoreCodec.EncodeCounters([3, 300]);
        await store.CommitAsync(space, 0, epoch, [new StoreWrite(RecordKind.Stats, StoreKeys.Stats(0x9000), counters)]);

        var outcome = await store.SplitAsync(space, 0, epoch, StoreKeys.BucketStart(0x8000));

        var reopened = await ReopenAsync(store);
        var ordered = keys.Order(ByteArrayComparer.Instance).ToList();
        var parentRange = outcome.Map.Ranges.Single(r => r.PartitionId == 0);
        var childRange = outcome.Map.Ranges.Single(r => r.PartitionId == outcome.ChildId);
        var inParent = await reopened.ReadRangeAsync(space, RecordKind.Item, StoreKeys.HashStart(parentRange.Start), StoreKeys.HashEnd(parentRange.End), true, int.MaxValue);
        var inChild = await reopened.ReadRangeAsync(space, RecordKind.Item, StoreKeys.HashStart(childRange.Start), StoreKeys.HashEnd(childRange.End), true, int.MaxValue);
        AssertKeys(ordered.Where(k => parentRange.Contains(HashOf(k))), inParent);
        AssertKeys(ordered.Where(k => childRange.Contains(HashOf(k))), inChild);
        Assert.Equal(keys.Count, inParent.Count + inChild.Count);
        Assert.Equal(keys.Select(k => (byte[]?)k), await reopened.GetManyAsync(space, RecordKind.Item, keys));
        var stats = await reopened.GetAsync(space, RecordKind.Stats, StoreKeys.Stats(0x9000));
        Assert.Equal([3L, 300L], StoreCodec.DecodeCounters(stats));

        static ulong HashOf(byte[] key) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key);
    }

    [Fact]
    public async Task Local_index_entries_commit_with_their_items_and_read_in_index_order_across_a_split()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        await store.EnsureMapAsync(space, PartitionMap.Even(1));
        var epoch = (await OpenAsync(store, space, 0)).Epoch;
        // Two item collections, one in each half after the split; each item has an entry under its "rank".
        var collections = new[] { (Hash: StoreKeys.BucketStart(0x1000) + 7, Pk: AttributeValue.FromS("low")), (Hash: StoreKeys.BucketStart(0xC000) + 9, Pk: AttributeValue.FromS("high")) };
        var ranks = new[] { "-10", "0", "2.5", "3", "1e3" };
        foreach (var (hash, pk) in collections)
        {
            var writes = new List<StoreWrite>();
            for (var sk = 0; sk < ranks.Length; sk++)
            {
                var sortKey = AttributeValue.FromN(sk.ToString());
                var item = StoreKeys.Item(hash, pk, sortKey);
                writes.Add(new StoreWrite(RecordKind.Item, item, item));
                // Ranks in reverse of the sort keys, so index order differs from table order.
                var rank = AttributeValue.FromN(ranks[ranks.Length - 1 - sk]);
                writes.Add(new StoreWrite(RecordKind.LocalIndexEntry, StoreKeys.LocalIndexEntry("byRank", hash, [pk, rank, sortKey]), item));
            }
            await store.CommitAsync(space, 0, epoch, writes);
        }
        // One item leaves the index and another changes rank, in the same commit as the item change.
        var (lowHash, low) = collections[0];
        await store.CommitAsync(space, 0, epoch,
        [
            new StoreWrite(RecordKind.LocalIndexEntry, StoreKeys.LocalIndexEntry("byRank", lowHash, [low, AttributeValue.FromN("1e3"), AttributeValue.FromN("0")]), null),
            new StoreWrite(RecordKind.Item, StoreKeys.Item(lowHash, low, AttributeValue.FromN("0")), null),
            new StoreWrite(RecordKind.LocalIndexEntry, StoreKeys.LocalIndexEntry("byRank", lowHash, [low, AttributeValue.FromN("-10"), AttributeValue.FromN("4")]), null),
            new StoreWrite(RecordKind.LocalIndexEntry, StoreKeys.LocalIndexEntry("byRank", lowHash, [low, AttributeValue.FromN("7"), AttributeValue.FromN("4")]),
                StoreKeys.Item(lowHash, low, AttributeValue.FromN("4"))),
        ]);

        var split = await store.SplitAsync(space, 0, epoch, StoreKeys.BucketStart(0x8000));
        var reopened = await ReopenAsync(store);

        async Task<List<byte[]>> Collection((ulong Hash, AttributeValue Pk) c, bool forward)
        {
            var prefix = StoreKeys.LocalIndexPrefix("byRank", c.Hash, c.Pk);
            var records = await reopened.ReadRangeAsync(space, RecordKind.LocalIndexEntry, prefix, OrderedKeyEncoding.PrefixEnd(prefix), forward, 100);
            return records.Select(r => r.Value).ToList();
        }
        byte[] ItemOf((ulong Hash, AttributeValue Pk) c, int sk) => StoreKeys.Item(c.Hash, c.Pk, AttributeValue.FromN(sk.ToString()));
        // low: ranks 3 (sk 1), 2.5 (sk 2), 0 (sk 3), 7 (sk 4) → by rank: sk 3, 2, 1, 4
        Assert.Equal([ItemOf(collections[0], 3), ItemOf(collections[0], 2), ItemOf(collections[0], 1), ItemOf(collections[0], 4)], await Collection(collections[0], true));
        // high: ranks 1e3, 3, 2.5, 0, -10 for sk 0..4 → by rank: sk 4, 3, 2, 1, 0; backwards: 0..4
        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(sk => ItemOf(collections[1], sk)), await Collection(collections[1], true));
        Assert.Equal(Enumerable.Range(0, 5).Select(sk => ItemOf(collections[1], sk)), await Collection(collections[1], false));
        // A scan of the index over the child's range sees only the child's collection.
        var child = split.Map.Ranges.Single(r => r.PartitionId == split.ChildId);
        var inChild = await reopened.ReadRangeAsync(space, RecordKind.LocalIndexEntry, StoreKeys.LocalIndexPrefix("byRank", child.Start),
            OrderedKeyEncoding.PrefixEnd(StoreKeys.LocalIndexPrefix("byRank")), true, 100);
        Assert.Equal(5, inChild.Count);
        Assert.Null(await reopened.GetAsync(space, RecordKind.Item, ItemOf(collections[0], 0)));
    }

    [Fact]
    public async Task An_open_racing_a_split_answers_the_range_of_its_epoch()
    {
        var store = await CreateStoreAsync();
        for (var round = 0; round < 30; round++)
        {
            var space = NewSpace();
            await store.EnsureMapAsync(space, PartitionMap.Even(1));
            var epoch = (await OpenAsync(store, space, 0)).Epoch;
            var splitAt = StoreKeys.BucketStart(0x8000);

            var split = Task.Run(async () =>
            {
                try { return await store.SplitAsync(space, 0, epoch, splitAt); }
                catch (StaleEpochException) { return null; }
            });
            var open = Task.Run(() => store.OpenAsync(space, 0));
            var (outcome, opening) = (await split, await open);

            if (outcome is null)
            {
                // The open came first: the split saw a newer epoch.
                Assert.Equal(1, opening.MapVersion);
                Assert.Equal(ulong.MaxValue, opening.Range!.End);
            }
            else
            {
                // The split came first: the open's epoch is newer than the split's, and its range the split one.
                Assert.True(opening.Epoch > outcome.ParentEpoch);
                Assert.Equal(2, opening.MapVersion);
                Assert.Equal(splitAt - 1, opening.Range!.End);
            }
        }
    }

    // ---- Deleting spaces ----

    [Fact]
    public async Task Deleting_a_space_removes_records_map_and_epochs_and_leaves_the_others()
    {
        var store = await CreateStoreAsync();
        var dropped = NewSpace();
        var kept = dropped with { IndexId = "idx" };
        foreach (var space in new[] { dropped, kept })
        {
            await store.EnsureMapAsync(space, PartitionMap.Even(2));
            await store.CommitAsync(space, 1, (await OpenAsync(store, space, 1)).Epoch, Enum.GetValues<RecordKind>().Select(k => Put("k", "v", k)).ToList());
        }
        var droppedEpoch = (await store.OpenAsync(dropped, 0)).Epoch;

        await store.DeleteSpaceAsync(dropped);

        var reopened = await ReopenAsync(store);
        Assert.Null(await reopened.ReadMapAsync(dropped));
        foreach (var kind in Enum.GetValues<RecordKind>())
        {
            Assert.Empty(await AllAsync(reopened, dropped, kind));
            Assert.Equal([("k", "v")], await AllAsync(reopened, kept, kind));
        }
        var listed = await reopened.ListSpacesAsync();
        Assert.DoesNotContain(dropped, listed);
        Assert.Contains(kept, listed);
        Assert.NotNull(await reopened.ReadMapAsync(kept));

        // Its epochs are gone too: the old one commits nothing, and the partition opens without a range.
        await Assert.ThrowsAsync<StaleEpochException>(() => reopened.CommitAsync(dropped, 0, droppedEpoch, [Put("late", "x")]));
        Assert.Empty(await AllAsync(reopened, dropped));
        Assert.Null((await reopened.OpenAsync(dropped, 0)).Range);

        await reopened.DeleteSpaceAsync(NewSpace()); // an unknown space: nothing to do
    }

    // ---- Snapshots ----

    [Fact]
    public async Task A_snapshot_sees_every_commit_before_it_and_none_after_across_partitions_and_spaces()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var other = NewSpace();
        var first = await OpenAsync(store, space, 0);
        var second = await OpenAsync(store, space, 1);
        var elsewhere = await OpenAsync(store, other, 0);
        await store.CommitAsync(space, 0, first.Epoch, [Put("a", "1"), Put("b", "1"), Put("r1", "x", RecordKind.Recovery)]);
        await store.CommitAsync(space, 1, second.Epoch, [Put("c", "1")]);
        await store.CommitAsync(other, 0, elsewhere.Epoch, [Put("z", "1")]);

        await using var snapshot = await store.OpenSnapshotAsync([space, other]);
        await store.CommitAsync(space, 0, first.Epoch, [Put("a", "2"), Delete("b"), Put("r2", "y", RecordKind.Recovery)]);
        await store.CommitAsync(space, 1, second.Epoch, [Put("d", "2")]);
        await store.CommitAsync(other, 0, elsewhere.Epoch, [Delete("z")]);

        async Task<List<(string, string)>> ReadAsync(StoreSpace s, RecordKind kind) =>
            (await snapshot.ReadRangeAsync(s, kind, [], null, 100)).Select(r => (Text(r.Key), Text(r.Value))).ToList();
        Assert.Equal([("a", "1"), ("b", "1"), ("c", "1")], await ReadAsync(space, RecordKind.Item));
        Assert.Equal([("r1", "x")], await ReadAsync(space, RecordKind.Recovery));
        Assert.Equal([("z", "1")], await ReadAsync(other, RecordKind.Item));
        // The store itself has moved on.
        Assert.Equal([("a", "2"), ("c", "1"), ("d", "2")], await AllAsync(store, space));
    }

    [Fact]
    public async Task A_snapshot_reads_ranges_in_key_order_with_bounds_and_limits()
    {
        var store = await CreateStoreAsync();
        var space = NewSpace();
        var opening = await OpenAsync(store, space, 0);
        await store.CommitAsync(space, 0, opening.Epoch, Enumerable.Range(0, 50).Select(i => Put($"k{i:D2}", $"v{i}")).ToList());
        await using var snapshot = await store.OpenSnapshotAsync([space]);
        var page = await snapshot.ReadRangeAsync(space, RecordKind.Item, Bytes("k10"), Bytes("k20"), 5);
        Assert.Equal(["k10", "k11", "k12", "k13", "k14"], page.Select(r => Text(r.Key)));
        Assert.Equal(10, (await snapshot.ReadRangeAsync(space, RecordKind.Item, Bytes("k10"), Bytes("k20"), 100)).Count);
        Assert.Equal(50, (await snapshot.ReadRangeAsync(space, RecordKind.Item, [], null, 1000)).Count);
        Assert.Empty(await snapshot.ReadRangeAsync(space, RecordKind.Item, [], null, 0));
        Assert.Empty(await snapshot.ReadRangeAsync(NewSpace(), RecordKind.Item, [], null, 10));
    }
}

public sealed class MemoryPartitionStoreTests : PartitionStoreConformance
{
    protected override Task<IPartitionStore> CreateStoreAsync() => Task.FromResult<IPartitionStore>(new MemoryPartitionStore());
}
