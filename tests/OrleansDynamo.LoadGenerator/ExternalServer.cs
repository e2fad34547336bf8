using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// An OrleansDynamo server as a separate process, started from a command line (<c>dotnet .../OrleansDynamo.Server.dll</c>
/// or the published apphost), run directly without a shell so that its process id is the server's. It is killed
/// when disposed, and when this program exits or is interrupted, whatever happens in between.
/// </summary>
public sealed class ExternalServer : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ExternalServer, byte> Live = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<long> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Kept in a field: a registration that is collected stops handling its signal. The default action (exit) follows.
    private static readonly PosixSignalRegistration[] Signals =
        [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Select(s => PosixSignalRegistration.Create(s, _ => KillAll()))];

    static ExternalServer()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        GC.KeepAlive(Signals);
    }

    private ExternalServer(Process process, int port, long startedAt)
    {
        _process = process;
        Port = port;
        StartedAt = startedAt;
    }

    public int Port { get; }
    public int Pid => _process.Id;
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>Completes with the <see cref="Stopwatch.GetTimestamp"/> at which the "OrleansDynamo listening" line was read.</summary>
    public Task<long> Listening => _listening.Task;

    /// <summary>The last lines the server printed, for error messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts <paramref name="command"/> (split on blanks, quotes group) with the arguments, ports and data folder.</summary>
    public static ExternalServer Start(string command, IEnumerable<string> arguments, string dataDir)
    {
        var words = SplitCommandLine(command);
        if (words.Count == 0) throw new ArgumentException("--server-cmd is empty");
        var port = FreePort();
        var start = new ProcessStartInfo(words[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var word in (string[])[.. words.Skip(1), .. arguments, "--data-dir", dataDir, "--port", port.ToString(CultureInfo.InvariantCulture),
                     "--silo-port", FreePort().ToString(CultureInfo.InvariantCulture), "--gateway-port", FreePort().ToString(CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(word);
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {words[0]}");
        var server = new ExternalServer(process, port, startedAt);
        Live[server] = 0;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("OrleansDynamo listening", StringComparison.Ordinal)) server._listening.TrySetResult(Stopwatch.GetTimestamp());
            server.Keep(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server.Keep(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for the listening line; throws with the server's output when it exits or does not start in time.</summary>
    public async Task<long> WaitListeningAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(Listening, _process.WaitForExitAsync(), Task.Delay(timeout));
        if (finished == Listening) return await Listening;
        var why = _process.HasExited ? $"exited with code {_process.ExitCode}" : $"did not print its listening line within {timeout.TotalSeconds:F0} s";
        throw new InvalidOperationException($"the server {why}:\n{Output}");
    }

    /// <summary>The resident set size (VmRSS of /proc/PID/status) in bytes, or 0 once the process is gone.</summary>
    public long ReadRssBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        await _process.WaitForExitAsync();
        Live.TryRemove(this, out _);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>The server's split log lines ("... writes paused N ms"), kept apart from the last 200 lines.</summary>
    public IReadOnlyCollection<string> Splits => _splits;

    private readonly ConcurrentQueue<string> _splits = new();

    private void Keep(string line)
    {
        if (line.Contains("writes paused", StringComparison.Ordinal)) _splits.Enqueue(line.Trim());
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    private static readonly ConcurrentDictionary<string, byte> FoldersToDelete = new();

    /// <summary>Deletes <paramref name="folder"/> when the program is stopped by a signal (after killing the servers that use it).</summary>
    public static void DeleteOnSignal(string folder) => FoldersToDelete[folder] = 0;

    public static void KeepFolder(string folder) => FoldersToDelete.TryRemove(folder, out _);

    private static void KillAll()
    {
        foreach (var server in Live.Keys)
        {
            try
            {
                server._process.Kill(entireProcessTree: true);
                server._process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
        }
        foreach (var folder in FoldersToDelete.Keys)
        {
            try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Splits a command line on blanks; single or double quotes keep blanks in a word.</summary>
    public static List<string> SplitCommandLine(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in commandLine)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null;
                else word.Append(c);
            }
            else if (c is '"' or '\'') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else { word.Append(c); inWord = true; }
        }
        if (quote is not null) throw new ArgumentException($"unclosed quote in '{commandLine}'");
        if (inWord) words.Add(word.ToString());
        return words;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Samples a server's RSS every 500 ms until disposed; <see cref="MaxBytes"/> is the largest sample.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _max;

    public RssSampler(ExternalServer server)
    {
        _max = server.ReadRssBytes();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var rss = server.ReadRssBytes();
                    Current = rss;
                    if (rss > Interlocked.Read(ref _max)) Interlocked.Exchange(ref _max, rss);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public long MaxBytes => Interlocked.Read(ref _max);
    public long Current { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
