using System.Text.Json;

namespace OrleansDynamo.Security;

/// <summary>One caller the server knows: its access key, secret (and session token, for temporary keys), and policy.</summary>
public sealed record Principal(string Name, string AccessKeyId, string SecretAccessKey, string? SessionToken, AccessPolicy Policy)
{
    /// <summary>Never the secret: principals end up in logs and exception messages.</summary>
    public override string ToString() => $"{Name} ({AccessKeyId})";
}

/// <summary>
/// The principals of a credentials file, <c>{"principals": [{"name", "accessKeyId", "secretAccessKey",
/// "sessionToken"?, "policy"}]}</c>, read again when the file changes (looked at no more than once a second). A
/// file that no longer reads keeps the principals last read, so an edit in progress locks nobody out.
/// </summary>
public sealed class CredentialStore
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly Lock _reloadLock = new();
    private volatile IReadOnlyDictionary<string, Principal> _byAccessKey;
    private (DateTime Written, long Length) _version;
    private long _nextCheck;

    private CredentialStore(string path, IReadOnlyDictionary<string, Principal> principals, (DateTime, long) version)
    {
        _path = path;
        _byAccessKey = principals;
        _version = version;
        _nextCheck = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds;
    }

    /// <summary>Reads the file; throws <see cref="InvalidOperationException"/> with a line for people when it cannot.</summary>
    public static CredentialStore Load(string path)
    {
        var version = VersionOf(path);
        return new CredentialStore(path, Read(path), version);
    }

    public bool TryFind(string accessKeyId, out Principal principal)
    {
        ReloadIfChanged();
        return _byAccessKey.TryGetValue(accessKeyId, out principal!);
    }

    private void ReloadIfChanged()
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _nextCheck)) return;
        lock (_reloadLock)
        {
            if (Environment.TickCount64 < _nextCheck) return;
            _nextCheck = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds;
            try
            {
                var version = VersionOf(_path);
                if (version == _version) return;
                _byAccessKey = Read(_path);
                _version = version;
            }
            catch (InvalidOperationException)
            {
                // Half-written or broken: keep serving the principals read last; the next change is read again.
            }
        }
    }

    private static (DateTime, long) VersionOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : throw new InvalidOperationException($"the credentials file {path} does not exist");
    }

    private static Dictionary<string, Principal> Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("principals", out var principals) || principals.ValueKind != JsonValueKind.Array)
                throw new FormatException("the file is an object with a \"principals\" list");
            var byKey = new Dictionary<string, Principal>(StringComparer.Ordinal);
            foreach (var entry in principals.EnumerateArray())
            {
                var principal = new Principal(
                    Required(entry, "name"), Required(entry, "accessKeyId"), Required(entry, "secretAccessKey"),
                    entry.TryGetProperty("sessionToken", out var token) ? token.GetString() : null,
                    entry.TryGetProperty("policy", out var policy) ? AccessPolicy.Parse(policy) : AccessPolicy.DenyAll);
                if (!byKey.TryAdd(principal.AccessKeyId, principal)) throw new FormatException($"access key {principal.AccessKeyId} is listed twice");
            }
            return byKey;
        }
        catch (Exception error) when (error is JsonException or FormatException or IOException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the credentials file {path} cannot be read: {error.Message}", error);
        }
    }

    private static string Required(JsonElement entry, string member) =>
        entry.TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"every principal needs \"{member}\"");
}
