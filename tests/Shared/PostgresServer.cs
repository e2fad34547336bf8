using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace OrleansDynamo.Tests.Shared;

/// <summary>
/// A throwaway PostgreSQL server for tests: initdb into a temporary folder, listen on 127.0.0.1 at a free
/// port with trust authentication, stop and delete everything on dispose. Needs the server binaries
/// (Debian: <c>apt-get install postgresql</c>); as root it runs them as the <c>postgres</c> user.
/// Tuned for speed, but fsync stays on: durability tests rely on it.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Superuser = "postgres";

    private readonly string _binaries;
    private readonly string _folder;
    private bool _running;

    private PostgresServer(string binaries, string folder, int port)
    {
        _binaries = binaries;
        _folder = folder;
        Port = port;
    }

    /// <summary>The port the server listens on at 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Connects as the superuser to the <c>postgres</c> database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    private string DataDirectory => Path.Combine(_folder, "data");

    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = FindBinaries();
        var folder = Path.Combine(Path.GetTempPath(), "odyn-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            if (RunsAsRoot) await RunAsync("chown", [Superuser, folder], asSuperuser: false);
            // --no-sync only skips initdb's own flush of the fresh cluster; the server still fsyncs.
            await RunAsync(Path.Combine(binaries, "initdb"),
                ["-D", Path.Combine(folder, "data"), "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"], RunsAsRoot);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }

        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(binaries, folder, FreePort());
            try
            {
                await server.RunToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", server.DataDirectory, "-l", Path.Combine(folder, "server.log"), "-o", server.ServerOptions()]);
                server._running = true;
                await server.WaitUntilAcceptingAsync();
                return server;
            }
            catch (Exception) when (attempt < 3)
            {
                // Most likely another process took the port between FreePort and the server's bind.
                await server.StopAsync();
            }
            catch (Exception e)
            {
                var log = Path.Combine(folder, "server.log");
                var serverLog = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no server log)";
                await server.DisposeAsync();
                throw new InvalidOperationException($"PostgreSQL did not start: {e.Message}\n{serverLog}", e);
            }
        }
    }

    /// <summary>An outage: stops the server at once (no checkpoint, connections cut), as a crash would.</summary>
    public async Task CrashAsync() => await StopAsync();

    /// <summary>Starts the server again on the same data and port, after <see cref="CrashAsync"/>.</summary>
    public async Task RestartAsync()
    {
        await RunToolAsync("pg_ctl", ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", Path.Combine(_folder, "server.log"), "-o", ServerOptions()]);
        _running = true;
        await WaitUntilAcceptingAsync();
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
    }.ConnectionString;

    private string ServerOptions() => string.Join(' ',
        "-c listen_addresses=127.0.0.1",
        $"-p {Port}",
        $"-k {_folder}", // the unix socket stays in our folder
        "-c max_connections=200",
        "-c shared_buffers=64MB",
        "-c wal_level=minimal -c max_wal_senders=0",
        "-c full_page_writes=off", // only torn pages on an OS crash are at stake; fsync itself stays on
        "-c log_min_messages=warning");

    private async Task StopAsync()
    {
        if (!_running && !File.Exists(Path.Combine(DataDirectory, "postmaster.pid"))) return;
        _running = false;
        NpgsqlConnection.ClearAllPools();
        try { await RunToolAsync("pg_ctl", ["stop", "-m", "immediate", "-w", "-D", DataDirectory]); }
        catch (InvalidOperationException) { }
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(Path.Combine(_binaries, tool), arguments, asSuperuser: RunsAsRoot);

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Runs a program to its end (as the <c>postgres</c> user when asked); its standard output, or an error with both outputs.</summary>
    internal static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asSuperuser)
    {
        var start = new ProcessStartInfo
        {
            FileName = asSuperuser ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asSuperuser)
        {
            foreach (var argument in new[] { "-u", Superuser, "--", program }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await errors}");
        return await output;
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var newest = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Path: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Path, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Path)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries under {root}/<version>/bin; install them (Debian: apt-get install postgresql).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
