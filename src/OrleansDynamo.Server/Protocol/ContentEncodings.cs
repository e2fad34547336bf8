using System.IO.Compression;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace OrleansDynamo.Server.Protocol;

/// <summary>
/// Compressed bodies, both ways: a request with <c>Content-Encoding: gzip</c> or <c>deflate</c> is decoded (up to
/// the request size limit), and a response is sent gzip-compressed when the client accepts it. The response's
/// x-amz-crc32 is of the bytes on the wire, the compressed ones, as the SDKs check it.
/// </summary>
internal static class ContentEncodings
{
    /// <summary>Responses smaller than this go uncompressed: compression would not pay for itself.</summary>
    public const int MinCompressedBytes = 1024;

    private enum Encoding { Identity, Gzip, Deflate, Unknown }

    /// <summary>
    /// The request body decoded, or null when it is larger than <paramref name="maxBytes"/> once decoded. Throws
    /// InvalidDataException for a body that does not decode, and NotSupportedException for an encoding we do not know.
    /// </summary>
    public static PooledBuffer? Decode(HttpRequest request, PooledBuffer body, int maxBytes)
    {
        var encoding = EncodingOf(request.Headers.ContentEncoding);
        if (encoding == Encoding.Identity || body.WrittenCount == 0) return body;
        if (encoding == Encoding.Unknown)
        {
            body.Dispose();
            throw new NotSupportedException("content encoding");
        }
        using (body)
        {
            // Read in place: the pooled buffer is an array, so the compressed body is not copied.
            using var compressed = MemoryMarshal.TryGetArray(body.WrittenMemory, out var bytes)
                ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
                : new MemoryStream(body.WrittenMemory.ToArray(), writable: false);
            using Stream decoder = encoding == Encoding.Gzip
                ? new GZipStream(compressed, CompressionMode.Decompress)
                : new ZLibStream(compressed, CompressionMode.Decompress);
            var decoded = new PooledBuffer(Math.Max(4096, body.WrittenCount * 4));
            try
            {
                while (true)
                {
                    var read = decoder.Read(decoded.GetMemory(16 * 1024).Span);
                    if (read == 0) return decoded;
                    decoded.Advance(read);
                    if (decoded.WrittenCount > maxBytes)
                    {
                        decoded.Dispose();
                        return null;
                    }
                }
            }
            catch
            {
                decoded.Dispose();
                throw;
            }
        }
    }

    /// <summary>Whether the client takes a gzip response (<c>Accept-Encoding: gzip</c>, not with q=0).</summary>
    public static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
            foreach (var part in (value ?? "").Split(','))
            {
                var pieces = part.Split(';', StringSplitOptions.TrimEntries);
                if (!pieces[0].Equals("gzip", StringComparison.OrdinalIgnoreCase) && pieces[0] != "*") continue;
                return !pieces.Skip(1).Any(p => p.Replace(" ", "") is "q=0" or "q=0.0" or "q=0.00" or "q=0.000");
            }
        return false;
    }

    public static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }

    private static Encoding EncodingOf(StringValues header)
    {
        var value = header.ToString().Trim();
        if (value.Length == 0 || value.Equals("identity", StringComparison.OrdinalIgnoreCase)) return Encoding.Identity;
        if (value.Equals("gzip", StringComparison.OrdinalIgnoreCase) || value.Equals("x-gzip", StringComparison.OrdinalIgnoreCase)) return Encoding.Gzip;
        if (value.Equals("deflate", StringComparison.OrdinalIgnoreCase)) return Encoding.Deflate;
        return Encoding.Unknown;
    }
}
