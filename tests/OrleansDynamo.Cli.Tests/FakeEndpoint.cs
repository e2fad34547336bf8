using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace OrleansDynamo.Cli.Tests;

/// <summary>
/// A scripted HTTP endpoint on loopback, for what a real server cannot be made to do on cue: an operation that never
/// finishes, an admin port at exactly the DynamoDB port + 1. Answers by the request's X-Amz-Target (or path).
/// </summary>
public sealed class FakeEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string, (int Status, string Body)> _answer;
    private readonly Task _serving;

    /// <param name="answer">(target or path, body) to (status, JSON body).</param>
    public FakeEndpoint(int port, Func<string, string, (int Status, string Body)> answer)
    {
        _answer = answer;
        Port = port;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The targets (or paths) asked for, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The Authorization headers seen, to check that a request was signed.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var target = context.Request.Headers["X-Amz-Target"] is { } t ? t[(t.IndexOf('.') + 1)..] : context.Request.Url!.AbsolutePath;
            Requests.Enqueue(target);
            if (context.Request.Headers["Authorization"] is { } authorization) Authorizations.Enqueue(authorization);
            var (status, answer) = _answer(target, body);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-amz-json-1.0";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
