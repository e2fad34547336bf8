using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using static OrleansDynamo.Api.Tests.TestTables;

namespace OrleansDynamo.Api.Tests;

/// <summary>DynamoDB's documented limits, each with DynamoDB's error, through the AWS SDK.</summary>
[Collection(ServerCollection.Name)]
public sealed class LimitsTests(ServerFixture server)
{
    private IAmazonDynamoDB Client => server.Client;

    private async Task<string> PutRejectedAsync(string table, Dictionary<string, AttributeValue> item)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.PutItemAsync(table, item));
        Assert.Equal("ValidationException", error.ErrorCode);
        return error.Message;
    }

    [Fact]
    public async Task Item_of_exactly_400_KB_is_stored_and_one_byte_more_is_rejected()
    {
        var table = await CreateAsync(Client);
        // "pk" + "a" + "v" = 4 bytes of names and key.
        await Client.PutItemAsync(table, new() { ["pk"] = S("a"), ["v"] = S(new string('x', 400 * 1024 - 4)) });
        Assert.Equal("Item size has exceeded the maximum allowed size",
            await PutRejectedAsync(table, new() { ["pk"] = S("b"), ["v"] = S(new string('x', 400 * 1024 - 3)) }));
    }

    [Fact]
    public async Task Partition_key_over_2048_bytes_and_sort_key_over_1024_bytes_are_rejected()
    {
        var table = await CreateAsync(Client, rangeKeyType: "S");
        await Client.PutItemAsync(table, new() { ["pk"] = S(new string('p', 2048)), ["sk"] = S(new string('s', 1024)) });
        Assert.Equal("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes",
            await PutRejectedAsync(table, new() { ["pk"] = S(new string('p', 2049)), ["sk"] = S("s") }));
        Assert.Equal("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes",
            await PutRejectedAsync(table, new() { ["pk"] = S("p"), ["sk"] = S(new string('s', 1025)) }));
    }

    [Fact]
    public async Task Empty_string_key_value_is_rejected()
    {
        var table = await CreateAsync(Client);
        Assert.Equal("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk",
            await PutRejectedAsync(table, new() { ["pk"] = S("") }));
    }

    [Fact]
    public async Task Nesting_deeper_than_32_levels_is_rejected()
    {
        var table = await CreateAsync(Client);
        AttributeValue Nested(int depth) => depth == 0 ? S("leaf") : new AttributeValue { M = new() { ["m"] = Nested(depth - 1) } };
        await Client.PutItemAsync(table, new() { ["pk"] = S("ok"), ["deep"] = Nested(32) });
        Assert.Equal("Nesting Levels have exceeded supported limits",
            await PutRejectedAsync(table, new() { ["pk"] = S("deep"), ["deep"] = Nested(33) }));
    }

    [Fact]
    public async Task Duplicate_string_set_members_are_rejected()
    {
        var table = await CreateAsync(Client);
        Assert.Equal("One or more parameter values were invalid: Input collection [a, a] contains duplicates.",
            await PutRejectedAsync(table, new() { ["pk"] = S("a"), ["ss"] = new AttributeValue { SS = ["a", "a"] } }));
    }

    [Theory]
    [InlineData("123456789012345678901234567890123456789", "Attempting to store more than 38 significant digits in a Number")]
    [InlineData("1e126", "Number overflow. Attempting to store a number with magnitude larger than supported range")]
    [InlineData("1e-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range")]
    public async Task Numbers_outside_DynamoDBs_precision_or_range_are_rejected(string number, string message)
    {
        var table = await CreateAsync(Client);
        Assert.Equal(message, await PutRejectedAsync(table, new() { ["pk"] = S("a"), ["n"] = N(number) }));
    }

    [Fact]
    public async Task Table_names_shorter_than_3_characters_are_a_constraint_violation()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonDynamoDBException>(() => Client.GetItemAsync("ab", new() { ["pk"] = S("a") }));
        Assert.Equal("1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3", error.Message);
    }
}
