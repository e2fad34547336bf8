using OrleansDynamo.Keys;
using OrleansDynamo.Model;

namespace OrleansDynamo.Core.Tests.Model;

public sealed class KeyOrderingTests
{
    private static int Compare(AttributeValue a, AttributeValue b) => Math.Sign(KeyComparer.Instance.Compare(a, b));

    [Fact]
    public void Strings_order_by_UTF8_bytes_not_UTF16_code_units()
    {
        // U+FF21 is one UTF-16 unit above the surrogates, but its UTF-8 bytes sort before those of U+1F600.
        var fullwidthA = AttributeValue.FromS("\uFF21");
        var emoji = AttributeValue.FromS("\U0001F600");
        Assert.Equal(-1, Compare(fullwidthA, emoji));
        Assert.Equal(-1, Compare(AttributeValue.FromS("B"), AttributeValue.FromS("a")));
        Assert.Equal(-1, Compare(AttributeValue.FromS("a"), AttributeValue.FromS("ab")));
    }

    [Fact]
    public void Numbers_order_numerically()
    {
        Assert.Equal(-1, Compare(AttributeValue.FromN("9"), AttributeValue.FromN("10")));
        Assert.Equal(-1, Compare(AttributeValue.FromN("-10"), AttributeValue.FromN("-9")));
        Assert.Equal(0, Compare(AttributeValue.FromN("1.0"), AttributeValue.FromN("1")));
    }

    [Fact]
    public void Binary_orders_by_unsigned_bytes()
    {
        Assert.Equal(-1, Compare(AttributeValue.FromB([0x7F]), AttributeValue.FromB([0x80])));
        Assert.Equal(-1, Compare(AttributeValue.FromB([0x01]), AttributeValue.FromB([0x01, 0x00])));
    }

    [Fact]
    public void Partition_hash_is_stable_and_spelling_independent()
    {
        Assert.Equal(KeyBytes.PartitionHash(AttributeValue.FromN("1.0")), KeyBytes.PartitionHash(AttributeValue.FromN("1")));
        Assert.NotEqual(KeyBytes.PartitionHash(AttributeValue.FromS("1")), KeyBytes.PartitionHash(AttributeValue.FromN("1")));
        // The hash decides where data lives: it must never change between versions.
        Assert.Equal(KeyBytes.PartitionHash(AttributeValue.FromS("user#1")), KeyBytes.PartitionHash(AttributeValue.FromS("user#1")));
    }

    [Theory]
    [InlineData("user#1")]
    [InlineData("é€\U0001F600")]
    [InlineData("")]
    public void Partition_hash_of_a_string_is_the_hash_of_its_key_bytes(string text)
    {
        var value = AttributeValue.FromS(text);
        Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64(KeyBytes.Of(value)), KeyBytes.PartitionHash(value));
    }

    [Fact]
    public void Partition_hash_of_binary_and_long_strings_is_the_hash_of_their_key_bytes()
    {
        foreach (var value in new[] { AttributeValue.FromB([0, 1, 255]), AttributeValue.FromS(new string('x', 5000)), AttributeValue.FromN("12.5") })
            Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64(KeyBytes.Of(value)), KeyBytes.PartitionHash(value));
    }
}
