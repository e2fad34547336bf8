using CsCheck;
using OrleansDynamo.Server.Protocol;
using OrleansDynamo.Tests;

namespace OrleansDynamo.Api.Tests.Protocol;

/// <summary>
/// Mutated requests of every operation (<see cref="RequestFuzzer"/>): whatever the input, the server answers
/// with a 4xx DynamoDB error or a success, never 5xx, and stays up. A short seeded round; the long one is
/// <c>LoadGenerator fuzz</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FuzzTests(ServerFixture server)
{
    private const int MutationsPerOperation = 2000;

    public static TheoryData<string> Operations => [.. OperationTable.Names.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_operation_has_a_seed_request() =>
        Assert.Equal(OperationTable.Names.Order(StringComparer.Ordinal), RequestFuzzer.Seeds("t", "arn").Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Mutated_requests_never_get_a_server_error(string operation)
    {
        var (table, streamArn) = await RequestFuzzer.CreateTableAsync(server.Client);
        var seed = RequestFuzzer.Seeds(table, streamArn)[operation];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var fuzzer = new RequestFuzzer(http, server.Endpoint);
        Assert.InRange(await fuzzer.SendAsync(operation, seed), 200, 499);

        await RequestFuzzer.Mutations.SampleAsync(async mutations =>
        {
            var body = RequestFuzzer.Apply(seed, mutations);
            var status = await fuzzer.SendAsync(operation, body);
            Assert.True(status is >= 200 and < 500, $"HTTP {status} for {operation}: {(body.Length > 2000 ? body[..2000] + "..." : body)}");
        }, seed: RequestFuzzer.SeedOf(operation), iter: MutationsPerOperation, threads: 2, print: m => string.Join(", ", m));
        Assert.True(await fuzzer.IsUpAsync());
    }
}
