using OrleansDynamo.Model;

namespace OrleansDynamo.Core.Tests.Model;

/// <summary>DynamoDB's item size rules: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html</summary>
public sealed class ItemSizeTests
{
    private static int Size(string name, AttributeValue value) => new Item([KeyValuePair.Create(name, value)]).SizeInBytes;

    [Fact]
    public void String_is_name_plus_UTF8_length() => Assert.Equal(2 + 5, Size("ab", AttributeValue.FromS("é€")));

    [Fact]
    public void Number_is_about_one_byte_per_two_digits_plus_one()
    {
        Assert.Equal(1 + 2, Size("n", AttributeValue.FromN("12")));
        Assert.Equal(1 + 3, Size("n", AttributeValue.FromN("123")));
        Assert.Equal(1 + 2, Size("n", AttributeValue.FromN("1000")));
    }

    [Fact]
    public void Null_and_bool_are_one_byte() => Assert.Equal(1 + 1, Size("x", AttributeValue.Null));

    [Fact]
    public void List_and_map_have_three_bytes_overhead_and_one_per_element()
    {
        Assert.Equal(1 + 3, Size("l", AttributeValue.FromL([])));
        Assert.Equal(1 + 3 + (1 + 1), Size("l", AttributeValue.FromL([AttributeValue.FromS("a")])));
        Assert.Equal(1 + 3 + (1 + 1 + 1), Size("m", AttributeValue.FromM(new Dictionary<string, AttributeValue> { ["k"] = AttributeValue.FromS("v") })));
    }

    [Fact]
    public void Binary_is_its_byte_length() => Assert.Equal(1 + 3, Size("b", AttributeValue.FromB([1, 2, 3])));
}
