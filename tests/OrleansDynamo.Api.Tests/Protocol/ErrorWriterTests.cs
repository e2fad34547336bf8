using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;
using OrleansDynamo.Server.Protocol;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>DynamoDB's error bodies: the <c>__type</c> namespaces, the message member and its casing.</summary>
public class ErrorWriterTests
{
    private static string Write(DynamoException error)
    {
        using var buffer = new PooledBuffer(256);
        ErrorWriter.Write(buffer, error);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void DynamoDB_errors_carry_the_service_namespace_and_a_lower_case_message()
    {
        var error = DynamoErrors.TableNotFound("t");

        Assert.Equal("""{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: Table: t not found"}""", Write(error));
        Assert.Equal(400, ErrorWriter.StatusCodeOf(error));
    }

    [Fact]
    public void Validation_errors_come_from_the_validation_layer()
    {
        Assert.Equal("""{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}""", Write(DynamoErrors.Validation("bad")));
    }

    [Fact]
    public void Serialization_errors_spell_Message_with_a_capital()
    {
        Assert.Equal("""{"__type":"com.amazon.coral.service#SerializationException","Message":"Expected null"}""", Write(DynamoErrors.ExpectedStructure()));
    }

    [Fact]
    public void Errors_without_a_message_have_no_message_member()
    {
        Assert.Equal("""{"__type":"com.amazon.coral.service#UnknownOperationException"}""", Write(DynamoErrors.UnknownOperation()));
        Assert.Equal("""{"__type":"com.amazon.coral.service#SerializationException"}""", Write(DynamoErrors.MalformedRequest()));
    }

    [Fact]
    public void A_failed_condition_returns_the_old_item_when_asked()
    {
        var item = new Item([KeyValuePair.Create("id", AttributeValue.FromS("a")), KeyValuePair.Create("n", AttributeValue.FromN("2"))]);

        Assert.Equal("""{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"id":{"S":"a"},"n":{"N":"2"}}}""",
            Write(DynamoErrors.ConditionalCheckFailed(item)));
    }

    [Fact]
    public void Internal_server_errors_are_HTTP_500()
    {
        var error = DynamoErrors.InternalServerError();

        Assert.Equal(500, ErrorWriter.StatusCodeOf(error));
        Assert.Equal("""{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""", Write(error));
    }
}
