using OrleansDynamo.Expressions;
using OrleansDynamo.Keys;
using static OrleansDynamo.Core.Tests.Expressions.ExpressionTestData;

namespace OrleansDynamo.Core.Tests.Expressions;

public class ReservedWordsAndKeyComparerTests
{
    [Fact]
    public void Reserved_word_list_is_dynamodbs_full_list()
    {
        Assert.Equal(573, ReservedWords.All.Count);
        Assert.True(ReservedWords.IsReserved("ABORT"));
        Assert.True(ReservedWords.IsReserved("zone"));
        Assert.True(ReservedWords.IsReserved("Name"));
        Assert.False(ReservedWords.IsReserved("pk"));
    }

    [Fact]
    public void Strings_order_by_utf8_bytes_not_utf16_units()
    {
        // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 9F 98 80) in UTF-8,
        // but after it in UTF-16 (FF5E > D83D).
        var fullwidth = S("\uFF5E");
        var emoji = S("\U0001F600");
        Assert.True(string.CompareOrdinal(fullwidth.S, emoji.S) > 0);
        Assert.True(AttributeValueComparer.CompareKeys(fullwidth, emoji) < 0);
        Assert.True(KeyComparer.Instance.Compare(emoji, fullwidth) > 0);
        Assert.True(AttributeValueComparer.CompareKeys(S("a"), S("ab")) < 0);
        Assert.True(AttributeValueComparer.CompareKeys(S("B"), S("a")) < 0);
        Assert.Equal(0, AttributeValueComparer.CompareKeys(S("same"), S("same")));
    }

    [Fact]
    public void Numbers_order_numerically()
    {
        Assert.True(AttributeValueComparer.CompareKeys(N("9"), N("10")) < 0);
        Assert.True(AttributeValueComparer.CompareKeys(N("-10"), N("-9")) < 0);
        Assert.Equal(0, AttributeValueComparer.CompareKeys(N("1.50"), N("1.5")));
    }

    [Fact]
    public void Binaries_order_by_unsigned_bytes()
    {
        Assert.True(AttributeValueComparer.CompareKeys(B(0x7F), B(0x80)) < 0);
        Assert.True(AttributeValueComparer.CompareKeys(B(1), B(1, 0)) < 0);
    }

    [Fact]
    public void Sorting_with_the_key_comparer()
    {
        var sorted = new[] { N("3"), N("-1"), N("2.5") }.Order(KeyComparer.Instance).ToArray();
        Assert.Equal([N("-1"), N("2.5"), N("3")], sorted);
    }
}
