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

        // With a Content-Length the buffer is sized once; a chunked body grows it as it comes.
        var buffer = new PooledBuffer(declared is { } length ? (int)length : ReadChunk);
        try
        {
            while (declared is null || buffer.WrittenCount < declared)
            {
                var wanted = declared is { } total ? (int)total - buffer.WrittenCount : ReadChunk;
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
