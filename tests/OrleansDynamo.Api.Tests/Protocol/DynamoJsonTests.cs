using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Operations;
using OrleansDynamo.Server.Protocol;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>The DynamoDB JSON wire format: attribute values, request members and their errors, as DynamoDB words them.</summary>
public class DynamoJsonTests
{
    private const string AllTenTypes =
        """{"s":{"S":"x"},"n":{"N":"1.5"},"b":{"B":"AQID"},"ss":{"SS":["a","b"]},"ns":{"NS":["1","-2.25"]},"bs":{"BS":["AQ==","Ag=="]},"m":{"M":{"inner":{"S":"y"}}},"l":{"L":[{"N":"7"},{"BOOL":true}]},"null":{"NULL":true},"bool":{"BOOL":false}}""";

    private static T Read<T>(string json) where T : class =>
        DynamoJson.ReadRequest(Encoding.UTF8.GetBytes(json), DynamoJson.RequestType<T>());

    private static DynamoException ReadFails<T>(string json) where T : class =>
        Assert.Throws<DynamoException>(() => Read<T>(json));

    private static string Write<T>(T response)
    {
        using var buffer = new PooledBuffer(256);
        DynamoJson.WriteResponse(buffer, response, DynamoJson.ResponseType<T>());
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static DynamoException ItemAttributeFails(string attributeValueJson) =>
        ReadFails<PutItemRequest>($$$"""{"TableName":"t","Item":{"a":{{{attributeValueJson}}}}}""");

    [Fact]
    public void All_ten_types_are_read_from_DynamoDB_JSON()
    {
        var item = Read<PutItemRequest>($$"""{"TableName":"t","Item":{{AllTenTypes}}}""").Item!;

        Assert.Equal("x", item["s"].S);
        Assert.Equal(DynamoNumber.Parse("1.5"), item["n"].N);
        Assert.Equal([1, 2, 3], item["b"].B.ToArray());
        Assert.Equal(["a", "b"], item["ss"].SS);
        Assert.Equal([DynamoNumber.Parse("1"), DynamoNumber.Parse("-2.25")], item["ns"].NS);
        Assert.Equal([[1], [2]], item["bs"].BS);
        Assert.Equal("y", item["m"].M["inner"].S);
        Assert.Equal(AttributeValue.FromN("7"), item["l"].L[0]);
        Assert.True(item["l"].L[1].BOOL);
        Assert.Equal(AttributeType.NULL, item["null"].Type);
        Assert.False(item["bool"].BOOL);
    }

    [Fact]
    public void All_ten_types_round_trip_unchanged()
    {
        var item = Read<PutItemRequest>($$"""{"TableName":"t","Item":{{AllTenTypes}}}""").Item!;

        Assert.Equal($$"""{"Item":{{AllTenTypes}}}""", Write(new GetItemResponse { Item = item }));
    }

    [Fact]
    public void Numbers_are_written_as_DynamoDB_returns_them()
    {
        var item = Read<PutItemRequest>("""{"Item":{"a":{"N":"1.50"},"b":{"N":"1e3"},"c":{"NS":["-0.0100"]}}}""").Item!;

        Assert.Equal("""{"Item":{"a":{"N":"1.5"},"b":{"N":"1000"},"c":{"NS":["-0.01"]}}}""", Write(new GetItemResponse { Item = item }));
    }

    [Fact]
    public void Strings_are_written_as_UTF8_without_needless_escapes()
    {
        var item = new Item([KeyValuePair.Create("a", AttributeValue.FromS("<é&'+>\"\n"))]);

        Assert.Equal("""{"Item":{"a":{"S":"<é&'+>\"\n"}}}""", Write(new GetItemResponse { Item = item }));
    }

    [Theory]
    [InlineData("{}", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"a":""}""", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"S":null}""", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("null", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"M":{"a":{}}}""", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"L":[{}]}""", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"L":[{"a":{}}]}""", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")]
    [InlineData("""{"S":"a","N":"1"}""", "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")]
    [InlineData("""{"NULL":false}""", "One or more parameter values were invalid: Null attribute value types must have the value of true")]
    [InlineData("""{"NULL":"no"}""", "One or more parameter values were invalid: Null attribute value types must have the value of true")]
    [InlineData("""{"SS":[]}""", "One or more parameter values were invalid: An string set  may not be empty")]
    [InlineData("""{"NS":[]}""", "One or more parameter values were invalid: An number set  may not be empty")]
    [InlineData("""{"BS":[]}""", "One or more parameter values were invalid: Binary sets should not be empty")]
    [InlineData("""{"SS":["a","a"]}""", "One or more parameter values were invalid: Input collection [a, a] contains duplicates.")]
    [InlineData("""{"NS":["1","1.0"]}""", "Input collection contains duplicates")]
    [InlineData("""{"BS":["Yg==","Yg=="]}""", "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates.")]
    [InlineData("""{"N":"b"}""", "The parameter cannot be converted to a numeric value: b")]
    [InlineData("""{"N":""}""", "The parameter cannot be converted to a numeric value")]
    [InlineData("""{"NS":["1","b"]}""", "The parameter cannot be converted to a numeric value: b")]
    [InlineData("""{"S":"a","N":"b"}""", "The parameter cannot be converted to a numeric value: b")]
    [InlineData("""{"N":"123456789012345678901234567890123456789"}""", "Attempting to store more than 38 significant digits in a Number")]
    [InlineData("""{"N":"1e126"}""", "Number overflow. Attempting to store a number with magnitude larger than supported range")]
    [InlineData("""{"N":"1e-131"}""", "Number underflow. Attempting to store a number with magnitude smaller than supported range")]
    public void Invalid_attribute_values_are_ValidationExceptions(string attributeValue, string message)
    {
        var error = ItemAttributeFails(attributeValue);

        Assert.Equal(DynamoErrorTypes.Validation, error.ErrorType);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"S":1}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String")]
    [InlineData("""{"S":true}""", "class java.lang.Boolean can not be converted to an String")]
    [InlineData("""{"N":34.56}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String")]
    [InlineData("""{"S":[]}""", "Start of list found where not expected")]
    [InlineData("""{"S":{}}""", "Start of structure or map found where not expected.")]
    [InlineData("""{"BOOL":23}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean")]
    [InlineData("""{"NULL":"hello"}""", "'HELLO' can not be converted to an Boolean")]
    [InlineData("""{"B":true}""", "class java.lang.Boolean can not be converted to a Blob")]
    [InlineData("""{"B":"23456"}""", "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5")]
    [InlineData("""{"B":"=+/="}""", "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='")]
    [InlineData("""{"B":"+/+="}""", "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected")]
    [InlineData("""{"BS":["Yg==", 1]}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob")]
    [InlineData("""{"SS":"a"}""", "Expected list or null")]
    [InlineData("""{"L":{}}""", "Start of structure or map found where not expected.")]
    [InlineData("""{"M":[]}""", "Start of list found where not expected")]
    [InlineData("""{"M":"a"}""", "Expected map or null")]
    [InlineData("\"x\"", "Expected null")]
    [InlineData("[]", "Start of list found where not expected")]
    [InlineData("""{"L":[23]}""", "Expected null")]
    public void Wrong_JSON_types_in_attribute_values_are_SerializationExceptions(string attributeValue, string message)
    {
        var error = ItemAttributeFails(attributeValue);

        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Binary_values_accept_an_escaped_slash()
    {
        var item = Read<PutItemRequest>("""{"Item":{"a":{"B":"\/w=="}}}""").Item!;

        Assert.Equal([0xFF], item["a"].B.ToArray());
    }

    [Theory]
    [InlineData("""{"TableName":1}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String")]
    [InlineData("""{"TableName":false}""", "class java.lang.Boolean can not be converted to an String")]
    [InlineData("""{"Item":[]}""", "Start of list found where not expected")]
    [InlineData("""{"Item":"x"}""", "Expected map or null")]
    [InlineData("""{"ExpressionAttributeNames":[]}""", "Start of list found where not expected")]
    [InlineData("""{"ExpressionAttributeNames":{"#a":1}}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String")]
    [InlineData("""{"ExpressionAttributeValues":"x"}""", "Expected map or null")]
    public void Wrong_JSON_types_in_request_members_are_SerializationExceptions(string request, string message)
    {
        var error = ReadFails<PutItemRequest>(request);

        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"KeySchema":{}}""", "Start of structure or map found where not expected.")]
    [InlineData("""{"KeySchema":"x"}""", "Expected list or null")]
    [InlineData("""{"KeySchema":[{"AttributeName":[]}]}""", "Start of list found where not expected")]
    [InlineData("""{"KeySchema":["x"]}""", "Expected null")]
    [InlineData("""{"AttributeDefinitions":[[]]}""", "Start of list found where not expected")]
    [InlineData("""{"ProvisionedThroughput":[]}""", "Start of list found where not expected")]
    [InlineData("""{"ProvisionedThroughput":5}""", "Expected null")]
    [InlineData("""{"ProvisionedThroughput":{"ReadCapacityUnits":"5"}}""", "class java.lang.String can not be converted to an Long")]
    [InlineData("""{"DeletionProtectionEnabled":1}""", "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean")]
    [InlineData("""{"DeletionProtectionEnabled":{}}""", "Start of structure or map found where not expected.")]
    public void Wrong_JSON_types_in_nested_members_are_SerializationExceptions(string request, string message)
    {
        var error = ReadFails<CreateTableRequest>(request);

        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Integers_are_read_as_Coral_reads_them()
    {
        Assert.Equal(34, Read<ListTablesRequest>("""{"Limit":34.56}""").Limit);
        Assert.Equal("class java.lang.String can not be converted to an Integer", ReadFails<ListTablesRequest>("""{"Limit":"23"}""").Message);
        Assert.Equal("class java.lang.Boolean can not be converted to an Integer", ReadFails<ListTablesRequest>("""{"Limit":true}""").Message);
    }

    [Theory]
    [InlineData("\"yes\"", true)]
    [InlineData("\"TRUE\"", true)]
    [InlineData("\"1\"", true)]
    [InlineData("\"no\"", false)]
    [InlineData("\"0\"", false)]
    [InlineData("false", false)]
    public void Booleans_may_be_sent_as_strings(string json, bool expected)
    {
        Assert.Equal(expected, Read<GetItemRequest>($$"""{"ConsistentRead":{{json}}}""").ConsistentRead);
    }

    [Fact]
    public void A_type_error_anywhere_outranks_an_invalid_value()
    {
        var error = ReadFails<PutItemRequest>("""{"Item":{"a":{"SS":[]}},"TableName":1}""");

        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
    }

    [Fact]
    public void The_first_invalid_value_is_reported()
    {
        var error = ReadFails<PutItemRequest>("""{"Item":{"a":{"NS":[]},"b":{"SS":[]}}}""");

        Assert.Equal("One or more parameter values were invalid: An number set  may not be empty", error.Message);
    }

    [Fact]
    public void Invalid_expression_attribute_values_name_their_placeholder()
    {
        var error = ReadFails<UpdateItemRequest>("""{"ExpressionAttributeValues":{":ok":{"S":"x"},":v":{"SS":[]}}}""");

        Assert.Equal(DynamoErrorTypes.Validation, error.ErrorType);
        Assert.Equal("ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: " +
                     "An string set  may not be empty for key :v", error.Message);
    }

    [Fact]
    public void Expression_attribute_values_are_read()
    {
        var request = Read<QueryRequest>("""{"ExpressionAttributeValues":{":v":{"N":"5"}},"ExpressionAttributeNames":{"#n":"name"}}""");

        Assert.Equal(AttributeValue.FromN("5"), request.ExpressionAttributeValues![":v"]);
        Assert.Equal("name", request.ExpressionAttributeNames!["#n"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("""{"TableName":""")]
    [InlineData("""{"TableName":1,""")]
    [InlineData("""{"Item":{"a":{"SS":[]}}} x""")]
    [InlineData("""{"TableName":"a"}{}""")]
    [InlineData("""{"TableName":'a'}""")]
    public void A_body_that_is_not_JSON_is_a_SerializationException_without_message(string body)
    {
        var error = ReadFails<CreateTableRequest>(body);

        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
        Assert.Equal("", error.Message);
    }

    [Fact]
    public void Invalid_UTF8_is_a_SerializationException()
    {
        byte[] body = [.. """{"TableName":" """u8, 0xFF, 0xFE, .. "\"}"u8];

        var error = Assert.Throws<DynamoException>(() => DynamoJson.ReadRequest(body, DynamoJson.RequestType<PutItemRequest>()));

        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
    }

    [Fact]
    public void Nesting_deeper_than_the_reader_allows_is_a_SerializationException()
    {
        var value = string.Concat(Enumerable.Repeat("""{"L":[""", 200)) + """{"S":"x"}""" + string.Concat(Enumerable.Repeat("]}", 200));

        Assert.Equal(DynamoErrorTypes.Serialization, ItemAttributeFails(value).ErrorType);
    }

    [Fact]
    public void Nesting_to_DynamoDBs_limit_is_read()
    {
        var value = string.Concat(Enumerable.Repeat("""{"M":{"a":""", 40)) + """{"S":"x"}""" + string.Concat(Enumerable.Repeat("}}", 40));

        var item = Read<PutItemRequest>($$$"""{"Item":{"a":{{{value}}}}}""").Item!;

        Assert.Equal(AttributeType.M, item["a"].Type);
    }

    [Fact]
    public void Member_names_are_case_sensitive_and_unknown_members_are_ignored()
    {
        var request = Read<GetItemRequest>("""{"tablename":"a","TableName":"b","Unknown":{"x":[1,{"y":null}]},"AttributesToGet":["c"]}""");

        Assert.Equal("b", request.TableName);
    }

    [Theory]
    [InlineData("null", "")]
    [InlineData("[]", "Start of list found where not expected")]
    [InlineData("5", "Expected null")]
    public void A_body_that_is_not_an_object_is_a_SerializationException(string body, string message)
    {
        var error = ReadFails<ListTablesRequest>(body);
        Assert.Equal(DynamoErrorTypes.Serialization, error.ErrorType);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("""{"TableName":"t","KeySchema":[null],"AttributeDefinitions":[]}""", "keySchema.1.member")]
    [InlineData("""{"TableName":"t","GlobalSecondaryIndexes":[{"IndexName":"i","KeySchema":[{"AttributeName":"a","KeyType":"HASH"},null]}]}""",
        "globalSecondaryIndexes.1.member.keySchema.2.member")]
    public void A_null_in_a_list_is_DynamoDBs_constraint_error_at_its_place(string body, string member)
    {
        var error = ReadFails<CreateTableRequest>(body);
        Assert.Equal($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public void A_null_value_in_a_map_is_DynamoDBs_constraint_error_at_its_key()
    {
        var error = ReadFails<BatchGetItemRequest>("""{"RequestItems":{"t":null}}""");
        Assert.Equal("1 validation error detected: Value null at 'requestItems.t' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public void Null_members_are_absent()
    {
        var request = Read<PutItemRequest>("""{"TableName":null,"Item":null,"ExpressionAttributeValues":null}""");

        Assert.Null(request.TableName);
        Assert.Null(request.Item);
        Assert.Null(request.ExpressionAttributeValues);
    }

    [Fact]
    public void Responses_leave_out_null_members()
    {
        Assert.Equal("{}", Write(new GetItemResponse()));
        Assert.Equal("""{"TableNames":["a"]}""", Write(new ListTablesResponse { TableNames = ["a"] }));
    }

    [Fact]
    public void Timestamps_are_written_as_JSON_numbers()
    {
        var json = Write(new DescribeTableResponse { Table = new TableDescription { TableName = "t", CreationDateTime = 1700000000.5 } });

        Assert.Contains("\"CreationDateTime\":1700000000.5", json);
        Assert.StartsWith("""{"Table":{"TableName":"t","KeySchema":[],""", json);
    }
}
