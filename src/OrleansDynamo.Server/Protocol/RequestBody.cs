using Microsoft.AspNetCore.Http;

namespace OrleansDynamo.Server.Protocol;

/// <summary>Reads a request body into a pooled buffer, up to DynamoDB's request size limit.</summary>
internal static class RequestBody
{
    /// <summary>DynamoDB's limit on a request (BatchWriteItem's 16 MB).</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    private const int ReadChunk = 16 * 1024;

    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>. The caller disposes the buffer.</summary>
    public static async Task<PooledBuffer?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > maxBytes) return null;

        // The buffer grows with the bytes that arrive, not with what the client declares: a client that declares
        // 16 MB and sends nothing holds one chunk, not 16 MB.
        var buffer = new PooledBuffer(declared is { } length ? (int)Math.Min(length, ReadChunk) : ReadChunk);
        try
        {
            while (declared is null || buffer.WrittenCount < declared)
            {
                var wanted = declared is { } total ? Math.Min((int)total - buffer.WrittenCount, ReadChunk) : ReadChunk;
                var read = await request.Body.ReadAsync(buffer.GetMemory(wanted), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    buffer.Dispose();
                    return null;
                }
            }
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }
}
