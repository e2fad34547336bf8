using System.CommandLine;
using System.CommandLine.Invocation;
using System.Net.Sockets;
using Amazon.Runtime;
using OrleansDynamo.Cli.Commands;

namespace OrleansDynamo.Cli;

/// <summary>The exit codes odyn documents, so that scripts can tell a refusal from an outage.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int ServerError = 1;
    public const int Usage = 2;
    public const int CannotConnect = 3;
    public const int Cancelled = 130; // 128 + SIGINT, as shells report a Ctrl+C
}

/// <summary>An error of odyn's own (an operation that ended FAILED, an admin answer it cannot read): exit code 1.</summary>
internal sealed class OdynException(string errorType, string message) : Exception(message)
{
    public string ErrorType { get; } = errorType;
}

/// <summary>Ctrl+C while waiting: the message says what goes on on the server and how to follow it.</summary>
internal sealed class StoppedWaitingException(string message) : Exception(message);

/// <summary>No connection to the server at all (refused, unknown host, no answer): exit code 3.</summary>
internal sealed class CannotConnectException(string message, Exception inner) : Exception(message, inner);

internal static class Cli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("odyn: tables, backups, exports, imports and cluster status of an OrleansDynamo server");
        foreach (var option in GlobalOptions.All) root.Options.Add(option);
        root.Subcommands.Add(TablesCommand.Create());
        root.Subcommands.Add(BackupCommands.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ClusterCommands.Create());

        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            // System.CommandLine exits 1 on a parse error; odyn keeps 1 for the server's errors and answers 2, as
            // most Unix tools do for bad usage.
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("See 'odyn --help'.");
            return ExitCodes.Usage;
        }
        // Ctrl+C cancels the token the actions get, which stops waiting but leaves the server's operation running. A
        // second Ctrl+C is not held back: it ends odyn at once, as a user pressing it twice expects. Handled here rather
        // than by System.CommandLine's ProcessTerminationTimeout, under which a SIGINT still ended the process before
        // the action could say what goes on on the server.
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !cancel.IsCancellationRequested;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Gives a command's action the connection and output it needs, and turns every failure into one line on stderr
    /// and its exit code: no stack trace reaches the user.
    /// </summary>
    public static void SetRun(this Command command, Func<ParseResult, OdynConnection, Output, CancellationToken, Task<int>> run) =>
        command.SetAction(async (parsed, cancellation) =>
        {
            var output = Output.From(parsed);
            using var connection = OdynConnection.From(parsed);
            try
            {
                return await run(parsed, connection, output, cancellation);
            }
            catch (StoppedWaitingException stopped)
            {
                output.Error(stopped.Message);
                return ExitCodes.Cancelled;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                output.Error("cancelled");
                return ExitCodes.Cancelled;
            }
            catch (AmazonServiceException error) when (!string.IsNullOrEmpty(error.ErrorCode))
            {
                output.Error($"error: {error.ErrorCode}: {error.Message}");
                return ExitCodes.ServerError;
            }
            catch (OdynException error)
            {
                output.Error($"error: {error.ErrorType}: {error.Message}");
                return ExitCodes.ServerError;
            }
            catch (Exception error) when (IsConnectionFailure(error, cancellation))
            {
                var target = error is CannotConnectException ? error.Message : $"cannot connect to {connection.Endpoint}";
                output.Error($"error: {target}: {Innermost(error).Message}");
                return ExitCodes.CannotConnect;
            }
            catch (System.Text.Json.JsonException error)
            {
                // An answer of another shape than odyn knows (the admin port of another version, say).
                output.Error($"error: InvalidResponse: {error.Message}");
                return ExitCodes.ServerError;
            }
            catch (AmazonClientException error)
            {
                // The SDK's own complaints (an answer it cannot read, say) are the server's side of things too.
                output.Error($"error: {error.GetType().Name}: {error.Message}");
                return ExitCodes.ServerError;
            }
        });

    /// <summary>
    /// The SDK reports a refused connection or an unknown host as an HttpRequestException (sometimes wrapped), and
    /// a server that never answers as a cancellation that nobody asked for.
    /// </summary>
    private static bool IsConnectionFailure(Exception error, CancellationToken cancellation)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
            if (e is CannotConnectException or HttpRequestException { StatusCode: null } or SocketException
                || (e is OperationCanceledException && !cancellation.IsCancellationRequested))
                return true;
        return false;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null) error = error.InnerException;
        return error;
    }
}
