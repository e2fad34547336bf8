using System.Collections.Concurrent;
using System.Security.Cryptography;
using OrleansDynamo.Security;

namespace OrleansDynamo.Server.WebConsole;

/// <summary>
/// The web console's signed-in sessions, in memory: a random token (the HttpOnly cookie's value) to the principal whose
/// keys signed in, for 12 hours. A restart signs everyone out.
/// </summary>
internal sealed class ConsoleSessions(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);
    private readonly ConcurrentDictionary<string, (Principal Principal, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new session for <paramref name="principal"/>; returns its token.</summary>
    public string Open(Principal principal)
    {
        var token = NewToken();
        _sessions[token] = (principal, clock.GetUtcNow() + Lifetime);
        return token;
    }

    public Principal? Find(string? token)
    {
        if (token is null || !_sessions.TryGetValue(token, out var session)) return null;
        if (session.Expires > clock.GetUtcNow()) return session.Principal;
        _sessions.TryRemove(token, out _);
        return null;
    }

    public void Close(string? token)
    {
        if (token is not null) _sessions.TryRemove(token, out _);
    }

    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
