namespace OrleansDynamo.Server;

/// <summary>
/// What one client can make the server hold, set on Kestrel explicitly rather than left to its defaults. With requests
/// read into buffers that grow with the bytes received (<c>RequestBody</c>), a connection holds at most its request.
/// </summary>
internal static class ServerLimits
{
    /// <summary>Open connections; more wait in the listen queue.</summary>
    public const int MaxConnections = 10_000;

    /// <summary>All request headers together (a SigV4 request needs about 2 KB).</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>A body slower than this, after the grace period, ends its connection (Kestrel's 408).</summary>
    public const double MinBodyBytesPerSecond = 240;

    public static readonly TimeSpan MinRateGrace = TimeSpan.FromSeconds(5);

    /// <summary>Headers must have arrived by then.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);
}
