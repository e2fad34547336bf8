using System.IO.Hashing;
using System.Net;
using System.Text;
using System.Text.Json;

namespace OrleansDynamo.Api.Tests;

/// <summary>The wire protocol itself, over plain HTTP: what SDKs rely on besides the JSON bodies.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProtocolTests(ServerFixture server)
{
    private static readonly HttpClient Http = new();

    private async Task<HttpResponseMessage> PostAsync(string? target, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        if (target is not null) request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return await Http.SendAsync(request);
    }

    [Fact]
    public async Task Responses_carry_request_id_and_crc32_of_the_body()
    {
        var response = await PostAsync("DynamoDB_20120810.ListTables", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("x-amzn-RequestId").Single()));
        Assert.Equal(Crc32.HashToUInt32(body).ToString(), response.Headers.GetValues("x-amz-crc32").Single());
        Assert.Equal("application/x-amz-json-1.0", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Unknown_operation_is_UnknownOperationException()
    {
        var response = await PostAsync("DynamoDB_20120810.NoSuchThing", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("#UnknownOperationException", await ErrorTypeAsync(response));
    }

    [Fact]
    public async Task Malformed_json_is_SerializationException_not_a_500()
    {
        var response = await PostAsync("DynamoDB_20120810.PutItem", "{\"TableName\": ");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("#SerializationException", await ErrorTypeAsync(response));
    }

    [Fact]
    public async Task Wrong_json_type_is_SerializationException()
    {
        var response = await PostAsync("DynamoDB_20120810.DescribeTable", "{\"TableName\": 5}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("#SerializationException", await ErrorTypeAsync(response));
    }

    [Fact]
    public async Task Validation_errors_use_DynamoDB_error_shape()
    {
        var response = await PostAsync("DynamoDB_20120810.DescribeTable", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("#ValidationException", json.RootElement.GetProperty("__type").GetString());
        Assert.Equal("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
            json.RootElement.GetProperty("message").GetString());
    }

    private static async Task<string> ErrorTypeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("__type").GetString()!;
    }
}
