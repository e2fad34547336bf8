using System.Text;
using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Core.Tests.Keys;

/// <summary>
/// The store's range reads rest on one property of <see cref="OrderedKeyEncoding"/>: unsigned byte order of
/// the encodings is DynamoDB's key order (<see cref="KeyComparer"/>), for single values and for a partition
/// key followed by a sort key. Checked on seeded random values drawn from small alphabets, so that equal
/// values, shared prefixes, zero bytes and the UTF-16 surrogate range come up often.
/// </summary>
public sealed class OrderedKeyEncodingTests
{
    private const int Pairs = 20_000;

    private static int Sign(int comparison) => Math.Sign(comparison);

    private static int CompareBytes(byte[] x, byte[] y) => Sign(x.AsSpan().SequenceCompareTo(y));

    private static byte[] Encode(params AttributeValue[] values)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var value in values) OrderedKeyEncoding.Append(writer, value);
        return writer.WrittenSpan.ToArray();
    }

    // Code points around every boundary that matters: NUL, ASCII, two- and three-byte UTF-8, the last
    // code unit before the surrogates, the first after them, U+FFFF, and supplementary characters.
    private static readonly string[] Characters = ["\0", "\u0001", "a", "b", "\u007F", "\u0080", "é", "\u07FF", "\u0800", "\uD7FF", "\uE000", "\uFF21", "\uFFFF", "\U00010000", "\U0001F600", "\U0010FFFF"];

    private static AttributeValue RandomString(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(0, 5); i > 0; i--) text.Append(Characters[random.Next(Characters.Length)]);
        return AttributeValue.FromS(text.ToString());
    }

    private static readonly byte[] ByteAlphabet = [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF];

    private static AttributeValue RandomBinary(Random random) =>
        AttributeValue.FromB(Enumerable.Range(0, random.Next(0, 5)).Select(_ => ByteAlphabet[random.Next(ByteAlphabet.Length)]).ToArray());

    /// <summary>Numbers in every spelling: signs, zero, leading and trailing zeros, decimals, exponents, DynamoDB's extremes.</summary>
    private static AttributeValue RandomNumber(Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                return AttributeValue.FromN(random.Next(4) switch { 0 => "0", 1 => "-0", 2 => "0.000", _ => "0e10" });
            case 1:
            {
                // The ends of the range: 38 significant digits, exponents +125 and -130.
                var nines = new string('9', random.Next(1, 39));
                var sign = random.Next(2) == 0 ? "-" : "";
                return AttributeValue.FromN(random.Next(2) == 0 ? $"{sign}{nines[0]}.{nines[1..]}E+125" : $"{sign}1E-{130 - random.Next(3)}");
            }
        }
        // Few distinct digits: many numbers share leading digits and differ in length only.
        var digits = string.Concat(Enumerable.Range(0, random.Next(1, 6)).Select(_ => "0159"[random.Next(4)]));
        var point = random.Next(digits.Length + 1);
        var text = point == 0 || point == digits.Length ? digits : $"{digits[..point]}.{digits[point..]}";
        if (random.Next(4) == 0) text = "0." + digits;
        if (random.Next(2) == 0) text = "-" + text;
        if (random.Next(3) == 0) text += $"e{random.Next(-20, 21)}";
        return AttributeValue.FromN(text);
    }

    private static AttributeValue RandomValue(Random random, AttributeType type) => type switch
    {
        AttributeType.S => RandomString(random),
        AttributeType.N => RandomNumber(random),
        _ => RandomBinary(random),
    };

    private static readonly AttributeType[] KeyTypes = [AttributeType.S, AttributeType.N, AttributeType.B];

    [Theory]
    [InlineData(AttributeType.S)]
    [InlineData(AttributeType.N)]
    [InlineData(AttributeType.B)]
    public void Byte_order_of_encodings_is_key_order(AttributeType type)
    {
        var random = new Random(1000 + (int)type);
        for (var i = 0; i < Pairs; i++)
        {
            var x = RandomValue(random, type);
            var y = RandomValue(random, type);
            var expected = Sign(KeyComparer.Instance.Compare(x, y));
            Assert.True(expected == CompareBytes(Encode(x), Encode(y)), $"{x} vs {y}: key order {expected}, byte order {CompareBytes(Encode(x), Encode(y))}");
        }
    }

    [Fact]
    public void Values_of_different_types_order_by_type_as_KeyComparer_does()
    {
        var random = new Random(7);
        for (var i = 0; i < Pairs; i++)
        {
            var x = RandomValue(random, KeyTypes[random.Next(3)]);
            var y = RandomValue(random, KeyTypes[random.Next(3)]);
            Assert.Equal(Sign(KeyComparer.Instance.Compare(x, y)), CompareBytes(Encode(x), Encode(y)));
        }
    }

    [Fact]
    public void Sorting_by_encoding_sorts_in_key_order()
    {
        var random = new Random(11);
        foreach (var type in KeyTypes)
        {
            var values = Enumerable.Range(0, 2000).Select(_ => RandomValue(random, type)).ToList();
            var byEncoding = values.OrderBy(v => Encode(v), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
            for (var i = 1; i < byEncoding.Count; i++)
                Assert.True(KeyComparer.Instance.Compare(byEncoding[i - 1], byEncoding[i]) <= 0, $"{byEncoding[i - 1]} sorts before {byEncoding[i]}");
        }
    }

    [Fact]
    public void Equal_numbers_in_different_spellings_encode_alike()
    {
        string[][] spellings =
        [
            ["1", "1.0", "1.000", "10e-1", "0.1e1", "001", "+1"],
            ["-12.5", "-125e-1", "-0.125E2", "-12.50"],
            ["0", "-0", "0.0", "0e5", "000"],
            ["100", "1e2", "1E+2", "100.00", "0.001e5"],
        ];
        foreach (var same in spellings)
        {
            var encodings = same.Select(n => Convert.ToHexString(Encode(AttributeValue.FromN(n)))).Distinct();
            Assert.Single(encodings);
        }
    }

    [Fact]
    public void A_partition_key_and_sort_key_order_component_by_component()
    {
        var random = new Random(13);
        for (var i = 0; i < Pairs; i++)
        {
            // One table: the partition key and the sort key each have one type.
            var pkType = KeyTypes[i % 3];
            var skType = KeyTypes[i / 3 % 3];
            var (pk1, sk1) = (RandomValue(random, pkType), RandomValue(random, skType));
            var (pk2, sk2) = (RandomValue(random, pkType), RandomValue(random, skType));
            if (random.Next(3) == 0) pk2 = pk1; // often the same item collection
            var byPk = KeyComparer.Instance.Compare(pk1, pk2);
            var expected = Sign(byPk != 0 ? byPk : KeyComparer.Instance.Compare(sk1, sk2));
            Assert.True(expected == CompareBytes(Encode(pk1, sk1), Encode(pk2, sk2)), $"({pk1}, {sk1}) vs ({pk2}, {sk2})");

            // An item collection's start (the partition key alone) sorts before all of its items.
            Assert.True(CompareBytes(Encode(pk1), Encode(pk1, sk1)) < 0);
            // ... and its items before every item of a greater partition key, whatever their sort keys.
            if (byPk < 0) Assert.True(CompareBytes(Encode(pk1, sk1), Encode(pk2)) < 0, $"({pk1}, {sk1}) vs {pk2}");
        }
    }

    [Fact]
    public void Encodings_are_self_delimiting_even_when_one_value_is_a_prefix_of_another()
    {
        // "a" < "a\0" < "a\0\0" < "ab" and [] < [0] < [0, 0] < [1]: the terminator sorts below every escaped byte.
        AttributeValue[] strings = [AttributeValue.FromS("a"), AttributeValue.FromS("a\0"), AttributeValue.FromS("a\0\0"), AttributeValue.FromS("a\u0001"), AttributeValue.FromS("ab")];
        AttributeValue[] binaries = [AttributeValue.FromB([]), AttributeValue.FromB([0]), AttributeValue.FromB([0, 0]), AttributeValue.FromB([0, 1]), AttributeValue.FromB([1])];
        foreach (var ordered in new[] { strings, binaries })
        {
            for (var i = 1; i < ordered.Length; i++)
            {
                Assert.True(CompareBytes(Encode(ordered[i - 1]), Encode(ordered[i])) < 0, $"{ordered[i - 1]} < {ordered[i]}");
                // Followed by a sort key, the shorter partition key still sorts first.
                Assert.True(CompareBytes(Encode(ordered[i - 1], AttributeValue.FromS("\uFFFF")), Encode(ordered[i], AttributeValue.FromS(""))) < 0);
            }
        }
    }

    [Fact]
    public void PrefixEnd_is_the_first_byte_string_after_every_extension_of_the_prefix()
    {
        Assert.Equal([0x01, 0x03], OrderedKeyEncoding.PrefixEnd([0x01, 0x02]));
        Assert.Equal([0x02], OrderedKeyEncoding.PrefixEnd([0x01, 0xFF]));
        Assert.Equal([0x01, 0x01], OrderedKeyEncoding.PrefixEnd([0x01, 0x00]));
        Assert.Null(OrderedKeyEncoding.PrefixEnd([0xFF, 0xFF]));
        Assert.Null(OrderedKeyEncoding.PrefixEnd([]));

        var random = new Random(17);
        for (var i = 0; i < Pairs; i++)
        {
            var prefix = RandomBytes(random, 0, 4);
            var other = RandomBytes(random, 0, 7);
            var end = OrderedKeyEncoding.PrefixEnd(prefix);
            var extends = other.AsSpan().StartsWith(prefix);
            // [prefix, end) holds exactly the byte strings that start with prefix.
            var inRange = CompareBytes(other, prefix) >= 0 && (end is null || CompareBytes(other, end) < 0);
            Assert.True(extends == inRange, $"{Convert.ToHexString(prefix)} / {Convert.ToHexString(other)}");
        }
    }

    [Fact]
    public void Successor_is_the_next_byte_string()
    {
        Assert.Equal([0x01, 0x00], OrderedKeyEncoding.Successor([0x01]));
        Assert.Equal([0x00], OrderedKeyEncoding.Successor([]));

        var random = new Random(19);
        for (var i = 0; i < Pairs; i++)
        {
            var key = RandomBytes(random, 0, 4);
            var other = RandomBytes(random, 0, 5);
            var next = OrderedKeyEncoding.Successor(key);
            Assert.True(CompareBytes(key, next) < 0);
            // Nothing lies strictly between a key and its successor.
            if (CompareBytes(other, key) > 0) Assert.True(CompareBytes(other, next) >= 0);
        }
    }

    [Fact]
    public void A_prefix_encoding_starts_the_encoding_of_every_value_that_begins_with_it()
    {
        var random = new Random(23);
        foreach (var type in new[] { AttributeType.S, AttributeType.B })
        {
            for (var i = 0; i < Pairs / 2; i++)
            {
                var prefix = RandomValue(random, type);
                var value = RandomValue(random, type);
                var writer = new System.Buffers.ArrayBufferWriter<byte>();
                OrderedKeyEncoding.AppendPrefix(writer, prefix);
                var start = writer.WrittenSpan.ToArray();
                var end = OrderedKeyEncoding.PrefixEnd(start);
                var begins = type == AttributeType.S
                    ? Encoding.UTF8.GetBytes(value.S).AsSpan().StartsWith(Encoding.UTF8.GetBytes(prefix.S))
                    : value.B.Span.StartsWith(prefix.B.Span);
                var encoded = Encode(value);
                // A begins_with condition on a key is the byte range [start, end) of the prefix's encoding.
                Assert.True(begins == (CompareBytes(encoded, start) >= 0 && (end is null || CompareBytes(encoded, end) < 0)), $"{prefix} / {value}");
            }
        }
    }

    [Fact]
    public void Only_key_types_encode()
    {
        Assert.Throws<ArgumentException>(() => Encode(AttributeValue.FromSS(["a"])));
        Assert.Throws<ArgumentException>(() => OrderedKeyEncoding.AppendPrefix(new System.Buffers.ArrayBufferWriter<byte>(), AttributeValue.FromN("1")));
    }

    private static byte[] RandomBytes(Random random, int min, int max) =>
        Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => ByteAlphabet[random.Next(ByteAlphabet.Length)]).ToArray();
}
