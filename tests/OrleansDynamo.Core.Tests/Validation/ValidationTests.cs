using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Validation;

namespace OrleansDynamo.Core.Tests.Validation;

public sealed class ValidationTests
{
    private static readonly TableSchema Schema = new(new KeyAttribute("pk", AttributeType.S), new KeyAttribute("sk", AttributeType.N));

    private static string Error(Action action) => Assert.Throws<DynamoException>(action).Message;

    [Theory]
    [InlineData("abc")]
    [InlineData("A-Za_z.09")]
    public void Valid_table_names_pass(string name) => TableNameValidator.Validate(new DescribeTableRequest { TableName = name });

    [Fact]
    public void Table_name_longer_than_255_is_rejected()
    {
        var name = new string('a', 256);
        Assert.Equal($"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255",
            Error(() => TableNameValidator.Validate(new DescribeTableRequest { TableName = name })));
    }

    [Fact]
    public void Key_with_extra_attribute_does_not_match_schema()
    {
        var key = new Item([KeyValuePair.Create("pk", AttributeValue.FromS("a")), KeyValuePair.Create("sk", AttributeValue.FromN("1")), KeyValuePair.Create("x", AttributeValue.FromS("b"))]);
        Assert.Equal("The provided key element does not match the schema", Error(() => KeyRules.CheckKey(key, Schema)));
    }

    [Fact]
    public void Hash_key_over_2048_bytes_is_rejected()
    {
        var item = new Item([KeyValuePair.Create("pk", AttributeValue.FromS(new string('x', 2049))), KeyValuePair.Create("sk", AttributeValue.FromN("1"))]);
        Assert.Equal("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes", Error(() => KeyRules.CheckItem(item, Schema)));
    }

    [Fact]
    public void Range_key_over_1024_bytes_is_rejected()
    {
        var schema = new TableSchema(new KeyAttribute("pk", AttributeType.S), new KeyAttribute("sk", AttributeType.B));
        var item = new Item([KeyValuePair.Create("pk", AttributeValue.FromS("a")), KeyValuePair.Create("sk", AttributeValue.FromB(new byte[1025]))]);
        Assert.Equal("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes", Error(() => KeyRules.CheckItem(item, schema)));
    }

    [Fact]
    public void Empty_set_is_rejected()
    {
        var item = new Item([KeyValuePair.Create("s", AttributeValue.FromSS([]))]);
        Assert.Equal("One or more parameter values were invalid: An string set  may not be empty", Error(() => ItemRules.CheckValues(item)));
    }

    [Fact]
    public void Duplicate_set_members_are_rejected()
    {
        var item = new Item([KeyValuePair.Create("s", AttributeValue.FromNS([DynamoNumber.Parse("1"), DynamoNumber.Parse("1.0")]))]);
        Assert.Equal("Input collection contains duplicates", Error(() => ItemRules.CheckValues(item)));
    }

    [Fact]
    public void Nesting_deeper_than_32_levels_is_rejected()
    {
        var value = AttributeValue.FromS("leaf");
        for (var i = 0; i < 33; i++) value = AttributeValue.FromL([value]);
        Assert.Equal("Nesting Levels have exceeded supported limits", Error(() => ItemRules.CheckValues(new Item([KeyValuePair.Create("deep", value)]))));
    }

    [Fact]
    public void Scan_segment_without_total_is_rejected()
    {
        Assert.Equal("The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
            Error(() => ScanValidator.Validate(new ScanRequest { TableName = "tbl", Segment = 0 })));
    }

    [Fact]
    public void PartitionMap_even_split_covers_the_hash_space_without_gaps()
    {
        var map = PartitionMap.Even(4);
        Assert.Equal(0UL, map.Ranges[0].Start);
        Assert.Equal(ulong.MaxValue, map.Ranges[^1].End);
        for (var i = 1; i < map.Ranges.Count; i++) Assert.Equal(map.Ranges[i - 1].End + 1, map.Ranges[i].Start);
        Assert.Equal(2, map.Find(map.Ranges[2].Start).PartitionId);
        Assert.Equal(1, map.Find(map.Ranges[2].Start - 1).PartitionId);
    }
}
