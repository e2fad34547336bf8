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

    private async Task<HttpResponseMessage> PostBytesAsync(string target, byte[] body, string? contentEncoding = null, string? acceptEncoding = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        if (contentEncoding is not null) request.Content.Headers.ContentEncoding.Add(contentEncoding);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return await Http.SendAsync(request);
    }

    private static byte[] Compress(string text, bool gzip)
    {
        using var output = new MemoryStream();
        using (Stream encoder = gzip ? new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal)
                   : new System.IO.Compression.ZLibStream(output, System.IO.Compression.CompressionLevel.Optimal))
            encoder.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    public async Task Compressed_request_bodies_are_decoded(string encoding)
    {
        var table = await TestTables.CreateAsync(server.Client);
        var put = await PostBytesAsync("DynamoDB_20120810.PutItem", Compress($$$$"""{"TableName":"{{{{table}}}}","Item":{"pk":{"S":"zipped"}}}""", encoding == "gzip"), encoding);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True((await server.Client.GetItemAsync(table, new() { ["pk"] = TestTables.S("zipped") })).IsItemSet);

        var broken = await PostBytesAsync("DynamoDB_20120810.ListTables", [1, 2, 3, 4, 5], encoding);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.EndsWith("#SerializationException", await ErrorTypeAsync(broken));
    }

    [Fact]
    public async Task A_body_too_large_once_decoded_is_refused()
    {
        // 17 MB of one repeated byte compresses to a few KB.
        var huge = Compress("{\"TableName\":\"" + new string('a', 17 * 1024 * 1024) + "\"}", gzip: true);
        Assert.True(huge.Length < 100_000);
        var response = await PostBytesAsync("DynamoDB_20120810.DescribeTable", huge, "gzip");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Responses_are_gzipped_when_accepted_and_the_checksum_is_of_the_bytes_sent()
    {
        var table = await TestTables.CreateAsync(server.Client);
        await server.Client.PutItemAsync(table, new() { ["pk"] = TestTables.S("big"), ["data"] = TestTables.S(new string('x', 10_000)) });
        var body = Encoding.UTF8.GetBytes($$$$"""{"TableName":"{{{{table}}}}","Key":{"pk":{"S":"big"}}}""");
        var zipped = await PostBytesAsync("DynamoDB_20120810.GetItem", body, acceptEncoding: "gzip, deflate");
        Assert.Equal("gzip", zipped.Content.Headers.ContentEncoding.Single());
        var wire = await zipped.Content.ReadAsByteArrayAsync();
        Assert.True(wire.Length < 2000, $"{wire.Length} bytes");
        Assert.Equal(Crc32.HashToUInt32(wire).ToString(), zipped.Headers.GetValues("x-amz-crc32").Single());
        using var unzip = new System.IO.Compression.GZipStream(new MemoryStream(wire), System.IO.Compression.CompressionMode.Decompress);
        using var json = await JsonDocument.ParseAsync(unzip);
        Assert.Equal(10_000, json.RootElement.GetProperty("Item").GetProperty("data").GetProperty("S").GetString()!.Length);

        var plain = await PostBytesAsync("DynamoDB_20120810.GetItem", body, acceptEncoding: "gzip;q=0");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Browsers_get_CORS_answers()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, server.Endpoint);
        preflight.Headers.TryAddWithoutValidation("Origin", "http://example.test");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Method", "POST");
        preflight.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", "content-type,x-amz-target");
        var answer = await Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("content-type,x-amz-target", answer.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Equal("172800", answer.Headers.GetValues("Access-Control-Max-Age").Single());

        var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new StringContent("{}") };
        request.Content.Headers.ContentType = new("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
        request.Headers.TryAddWithoutValidation("Origin", "http://example.test");
        var response = await Http.SendAsync(request);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-amzn-RequestId", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task The_health_check_names_the_host_it_was_asked_for()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Endpoint);
        request.Headers.Host = "dynamodb.example.test";
        var response = await Http.SendAsync(request);
        Assert.Equal("healthy: dynamodb.example.test", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Over_long_request_lines_and_headers_get_a_4xx()
    {
        var longLine = await Http.GetAsync(new Uri(server.Endpoint, "/?q=" + new string('a', 20_000)));
        Assert.InRange((int)longLine.StatusCode, 400, 499);
        var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 100_000));
        var longHeader = await Http.SendAsync(request);
        Assert.InRange((int)longHeader.StatusCode, 400, 499);
    }

    [Fact]
    public async Task TagResource_answers_with_an_empty_body()
    {
        var table = await TestTables.CreateAsync(server.Client);
        var response = await PostAsync("DynamoDB_20120810.TagResource",
            $$"""{"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/{{table}}","Tags":[{"Key":"k","Value":"v"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<string> ErrorTypeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("__type").GetString()!;
    }
}
