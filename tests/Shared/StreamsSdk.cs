using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDynamo.Tests;

/// <summary>A DynamoDB Streams error as the AWS SDK raised it: its type (<c>TrimmedDataAccessException</c>, ...) and message.</summary>
public sealed class StreamsSdkException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;
}

/// <summary>
/// The AWS SDK's DynamoDB Streams client, for tests. The .NET SDK's (AmazonDynamoDBStreamsClient, package
/// AWSSDK.DynamoDBStreams) is not served to this project, so this drives the AWS SDK for JavaScript's
/// DynamoDBStreamsClient in a Node.js process (<c>tests/StreamsSdk/bridge.mjs</c>): requests in, responses out,
/// as JSON in the SDK's own shapes.
/// </summary>
public sealed class StreamsSdk : IDisposable
{
    private readonly Process _node;
    private readonly SemaphoreSlim _one = new(1, 1);

    private StreamsSdk(Process node) => _node = node;

    public static StreamsSdk Start(Uri endpoint)
    {
        var folder = Folder();
        if (!File.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "client-dynamodb-streams", "package.json"))) Install(folder);
        var start = new ProcessStartInfo("node", ["bridge.mjs", endpoint.ToString().TrimEnd('/')])
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        return new StreamsSdk(Process.Start(start)!);
    }

    public Task<JsonNode> ListStreamsAsync(object input) => SendAsync("ListStreams", input);
    public Task<JsonNode> DescribeStreamAsync(object input) => SendAsync("DescribeStream", input);
    public Task<JsonNode> GetShardIteratorAsync(object input) => SendAsync("GetShardIterator", input);
    public Task<JsonNode> GetRecordsAsync(object input) => SendAsync("GetRecords", input);

    /// <summary>Sends one command; its output, or a <see cref="StreamsSdkException"/>.</summary>
    public async Task<JsonNode> SendAsync(string operation, object input)
    {
        await _one.WaitAsync();
        try
        {
            await _node.StandardInput.WriteLineAsync(JsonSerializer.Serialize(new { op = operation, input }));
            await _node.StandardInput.FlushAsync();
            var line = await _node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException("The Streams SDK process ended");
            var answer = JsonNode.Parse(line)!;
            return answer["ok"]!.GetValue<bool>()
                ? answer["output"]!
                : throw new StreamsSdkException(answer["name"]!.GetValue<string>(), answer["message"]?.GetValue<string>() ?? "");
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose()
    {
        try
        {
            _node.StandardInput.Close();
            if (!_node.WaitForExit(5000)) _node.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _node.Dispose();
    }

    private static string Folder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrleansDynamo.sln"))) return Path.Combine(dir.FullName, "tests", "StreamsSdk");
        throw new InvalidOperationException("The repository root (OrleansDynamo.sln) is not above " + AppContext.BaseDirectory);
    }

    private static readonly object InstallLock = new();

    private static void Install(string folder)
    {
        lock (InstallLock)
        {
            using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = folder })!;
            npm.WaitForExit();
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {folder} failed with exit code {npm.ExitCode}");
        }
    }
}
