using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansDynamo.ProcessTests;

/// <summary>
/// Mistakes a person makes when starting the server, run as a real process: each gets one line on stderr that says
/// what is wrong and how to fix it, exit code 2, and no stack trace. <c>--help</c> lists every flag.
/// </summary>
public sealed class StartupErrorTests
{
    [Fact]
    public async Task An_unknown_flag_is_refused_not_ignored()
    {
        var (code, output) = await RunAsync("--in-memory", "--prot", "9000");
        AssertOneLine(code, output, "OrleansDynamo: unknown flag --prot (--help lists the flags)");
    }

    [Fact]
    public async Task A_flag_without_its_value_is_refused()
    {
        var (code, output) = await RunAsync("--in-memory", "--port");
        AssertOneLine(code, output, "OrleansDynamo: --port needs a value: --port N");
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_the_flag_that_moves_it()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var (code, output) = await RunAsync("--in-memory", "--port", port.ToString());
        AssertOneLine(code, output, $"OrleansDynamo: port {port} (--port) is in use by another process: stop it, or choose another port with --port");
    }

    [Fact]
    public async Task A_data_directory_held_by_another_server_is_named()
    {
        var directory = Path.Combine(Path.GetTempPath(), "odyn-locked-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var first = await ServerProcess.StartAsync("--data-dir", directory))
            {
                var (code, output) = await RunAsync("--data-dir", directory);
                AssertOneLine(code, output,
                    $"OrleansDynamo: the data directory {directory} is in use by another OrleansDynamo server: stop that server, or choose another directory with --data-dir");
            }
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_is_named_with_where_to_fix_the_connection_string()
    {
        var (code, output) = await RunAsync("--storage", "postgres", "--postgres", $"Host=127.0.0.1;Port={ClosedPort()};Username=odyn;Database=odyn;Timeout=3");
        Assert.Equal(2, code);
        var line = Assert.Single(output.Stderr);
        Assert.StartsWith("OrleansDynamo: PostgreSQL could not be reached", line);
        Assert.EndsWith("Check the connection string (ODYN_POSTGRES, --postgres-file or --postgres) and that PostgreSQL is running", line);
        Assert.DoesNotContain(output.All, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_lists_every_flag()
    {
        var (code, output) = await RunAsync("--help");
        Assert.Equal(0, code);
        var help = string.Join('\n', output.Stdout);
        foreach (var flag in (string[])["--port", "--data-dir", "--in-memory", "--storage", "--postgres", "--cluster", "--auth", "--credentials-file",
                     "--admin-port", "--admin-address", "--capacity", "--burst-seconds", "--tracing", "--dashboard", "--ttl-update-interval", "--export-root"])
            Assert.Contains($"  {flag}", help);
        // Every flag the server accepts is listed: the options' table is the help's.
        Assert.Equal(47, output.Stdout.Count(l => l.StartsWith("  --", StringComparison.Ordinal)) - 1);
    }

    private static void AssertOneLine(int code, (List<string> Stdout, List<string> Stderr, List<string> All) output, string expected)
    {
        Assert.Equal(2, code);
        Assert.Equal(expected, Assert.Single(output.Stderr));
        Assert.DoesNotContain(output.All, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs the server with <paramref name="arguments"/> (on free ports unless they name their own) until it exits, 60 s at most.</summary>
    private static async Task<(int Code, (List<string> Stdout, List<string> Stderr, List<string> All) Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerProcess.ServerDll());
        var ports = (string[])["--port", "--silo-port", "--gateway-port", "--admin-port"];
        foreach (var flag in ports.Where(flag => !arguments.Contains(flag) && !arguments.Contains("--help")))
        {
            start.ArgumentList.Add(flag);
            start.ArgumentList.Add(ServerProcess.FreePort().ToString());
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = new List<string>();
        var stderr = new List<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Add(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The server neither started nor stopped:\n" + string.Join('\n', stdout.Concat(stderr)));
        }
        process.WaitForExit(); // the last lines of output
        var empty = (IEnumerable<string> lines) => lines.Where(l => l.Length > 0).ToList();
        return (process.ExitCode, (empty(stdout), empty(stderr), empty(stdout.Concat(stderr))));
    }
}
