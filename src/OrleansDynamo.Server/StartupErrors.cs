using System.Text.RegularExpressions;

namespace OrleansDynamo.Server;

/// <summary>
/// The start-up failures a person can fix, each as one line that says what is wrong and what to do: a port in use, a
/// data directory another server holds, PostgreSQL out of reach, a bad flag. Anything else is a bug and keeps its stack trace.
/// </summary>
internal static partial class StartupErrors
{
    /// <summary>The log categories that report start-up failures (which Program tells in one line instead).</summary>
    public static readonly string[] StartCategories =
        ["Microsoft.Extensions.Hosting.Internal.Host", "Orleans.Runtime.Silo", "Orleans.Runtime.SiloLifecycleSubject"];

    /// <summary>
    /// Refuses to start when one of the server's ports is taken: Kestrel would fail only after the silo started, and a
    /// second silo on a taken silo port would not fail at all. (Another process may still take a port after this check.)
    /// </summary>
    public static void EnsurePortsFree(ServerOptions options)
    {
        foreach (var (port, flag) in (ReadOnlySpan<(int, string)>)[(options.Port, "--port"), (options.AdminPortOrDefault, "--admin-port"),
                     (options.SiloPort, "--silo-port"), (options.GatewayPort, "--gateway-port")])
        {
            if (port == 0) continue;
            try
            {
                using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
                probe.Start();
            }
            catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                throw new InvalidOperationException($"port {port} ({flag}) is in use by another process: stop it, or choose another port with {flag}");
            }
        }
    }

    /// <summary>The line for <paramref name="error"/>, or null when it is not one of the known start-up mistakes.</summary>
    public static string? Describe(Exception error)
    {
        foreach (var cause in CausesOf(error))
        {
            switch (cause)
            {
                case InvalidOperationException when cause.Source == typeof(StartupErrors).Assembly.GetName().Name:
                    return cause.Message;
                case IOException when cause.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException:
                    return $"{BindAddress(cause.Message)} is in use by another process: stop it, or choose another port (--port, --admin-port)";
                case Storage.Postgres.PostgresStorageException:
                    return $"{cause.Message}. Check the connection string (ODYN_POSTGRES, --postgres-file or --postgres) and that PostgreSQL is running";
            }
            if (cause.GetType().Name == "RocksDbException" && LockFile().Match(cause.Message) is { Success: true } locked)
                return $"the data directory {Path.GetDirectoryName(locked.Groups["path"].Value)} is in use by another OrleansDynamo server: "
                    + "stop that server, or choose another directory with --data-dir";
        }
        return null;
    }

    private static IEnumerable<Exception> CausesOf(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var cause))
        {
            yield return cause;
            if (cause is AggregateException aggregate) foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (cause.InnerException is { } inner) pending.Push(inner);
        }
    }

    private static string BindAddress(string message) => BindTarget().Match(message) is { Success: true } match ? match.Groups["address"].Value : "the port";

    [GeneratedRegex(@"bind to address (?<address>\S+?):? address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BindTarget();

    [GeneratedRegex(@"lock file: (?<path>.+?): Resource temporarily unavailable")]
    private static partial Regex LockFile();
}
