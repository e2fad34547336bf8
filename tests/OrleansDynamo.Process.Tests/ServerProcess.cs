using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;

namespace OrleansDynamo.ProcessTests;

/// <summary>The OrleansDynamo server as a real operating-system process, so tests can kill -9 it.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output;

    private ServerProcess(Process process, int port, int siloPort, int gatewayPort, int adminPort, System.Collections.Concurrent.ConcurrentQueue<string> output)
    {
        GatewayPort = gatewayPort;
        _process = process;
        Port = port;
        SiloPort = siloPort;
        AdminPort = adminPort;
        _output = output;
    }

    /// <summary>
    /// The credentials every server of the tests knows: the SDK clients' key "test" with every permission. It
    /// matters where authentication is on (with <c>--cluster postgres</c>, and wherever a test asks for it).
    /// </summary>
    public static string CredentialsFile { get; } = WriteCredentials();

    private static string WriteCredentials()
    {
        var path = Path.Combine(Path.GetTempPath(), $"odyn-test-credentials-{Environment.ProcessId}.json");
        File.WriteAllText(path, """
            {"principals": [{"name": "test", "accessKeyId": "test", "secretAccessKey": "test",
              "policy": {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}}]}
            """);
        return path;
    }

    /// <summary>What the server printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public int Port { get; }

    /// <summary>The server's process id, for signals (SIGSTOP, SIGCONT).</summary>
    public int Pid => _process.Id;

    /// <summary>The Orleans gateway port.</summary>
    public int GatewayPort { get; }

    /// <summary>The admin port (<c>/admin/...</c>), on loopback.</summary>
    public int AdminPort { get; }

    /// <summary>The Orleans silo-to-silo port, which names the silo in <c>GET /admin/partitions</c>.</summary>
    public int SiloPort { get; }

    /// <summary>Starts the server with the given storage flags and waits until it accepts requests.</summary>
    public static Task<ServerProcess> StartAsync(params string[] storageArguments) => StartAsync(new Dictionary<string, string>(), storageArguments);

    /// <summary>The same, with environment variables for the server (a fault point, say).</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] storageArguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(environment, storageArguments);
            }
            catch (PortTakenException) when (attempt < 5)
            {
                // A free port can be taken between choosing it and binding it (by an outgoing connection of a
                // test running alongside): choose others.
            }
        }
    }

    private sealed class PortTakenException(string message) : InvalidOperationException(message);

    private static async Task<ServerProcess> StartOnceAsync(IReadOnlyDictionary<string, string> environment, string[] storageArguments)
    {
        var port = FreePort();
        var siloPort = FreePort();
        var adminPort = FreePort();
        var gatewayPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        foreach (var argument in (string[])[ServerDll(), "--port", port.ToString(), "--silo-port", siloPort.ToString(),
                     "--gateway-port", gatewayPort.ToString(), "--admin-port", adminPort.ToString(), "--credentials-file", CredentialsFile, .. storageArguments])
            start.ArgumentList.Add(argument);

        var process = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.StartsWith("OrleansDynamo listening", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (finished != ready.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var log = string.Join('\n', output);
            if (log.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || log.Contains("is in use by another process", StringComparison.Ordinal)) throw new PortTakenException("The server's port was taken:\n" + log);
            throw new InvalidOperationException("The server did not start:\n" + log);
        }
        return new ServerProcess(process, port, siloPort, gatewayPort, adminPort, output);
    }

    /// <summary>An AWS SDK client for this server; without retries unless asked, so tests see every error.</summary>
    public IAmazonDynamoDB CreateClient(int maxErrorRetry = 0) => new AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"),
        new AmazonDynamoDBConfig
        {
            ServiceURL = $"http://127.0.0.1:{Port}",
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxErrorRetry,
            Timeout = TimeSpan.FromSeconds(10),
        });

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end by itself (a fault point killed it), up to <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush; whatever was not durable is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    internal static string ServerDll()
    {
        // With --artifacts-path this assembly lives in <artifacts>/bin/<project>/<pivot>/ and the server in
        // <artifacts>/bin/OrleansDynamo.Server/<pivot>/.
        var binDirectory = new DirectoryInfo(AppContext.BaseDirectory);
        var artifactsDll = Path.Combine(binDirectory.Parent!.Parent!.FullName, "OrleansDynamo.Server", binDirectory.Name, "OrleansDynamo.Server.dll");
        if (File.Exists(artifactsDll)) return artifactsDll;
        // Else it lives in tests/<project>/bin/<Configuration>/<tfm>/; the server is built beside it.
        var tfm = binDirectory.Name;
        var configuration = binDirectory.Parent!.Name;
        var root = binDirectory;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OrleansDynamo.sln"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, "src", "OrleansDynamo.Server", "bin", configuration, tfm, "OrleansDynamo.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the server first", dll);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
