using OrleansDynamo.Errors;

namespace OrleansDynamo.Transfer;

/// <summary>
/// Stands S3 in for a folder: bucket <c>my-bucket</c> is <c>&lt;root&gt;/my-bucket</c> and an S3 prefix a path below
/// it. Every path handed out lies inside the root, so that export and import never touch anything else.
/// </summary>
/// <remarks>Symbolic links inside the root are trusted: whoever can make them can write the root anyway.</remarks>
public sealed class BucketFolders
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string? _root;

    /// <param name="root">The server's --export-root, or null when it has none (export and import are then refused).</param>
    public BucketFolders(string? root) =>
        _root = string.IsNullOrWhiteSpace(root) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));

    /// <summary>The full path of the root, or null without one.</summary>
    public string? Root => _root;

    /// <summary>The full path that <paramref name="bucket"/> and <paramref name="prefix"/> stand for.</summary>
    /// <remarks>The path need not exist. An import reads the objects whose keys begin with the prefix; see <see cref="ImportFileReader"/>.</remarks>
    public string Resolve(string bucket, string? prefix)
    {
        if (_root is null) throw DynamoErrors.ExportRootNotConfigured();
        if (!IsValidBucketName(bucket)) throw DynamoErrors.InvalidS3BucketName(bucket);

        var bucketFolder = Path.Combine(_root, bucket);
        if (string.IsNullOrEmpty(prefix)) return bucketFolder;

        // S3 keys separate "folders" with '/'; a backslash is one as well on Windows, so both are checked.
        if (Path.IsPathRooted(prefix) || prefix[0] is '/' or '\\' || prefix.Contains('\0') ||
            prefix.Split('/', '\\').Any(segment => segment is "." or ".."))
            throw DynamoErrors.S3PrefixOutsideExportRoot(bucket, prefix);

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(bucketFolder, prefix.Replace('/', Path.DirectorySeparatorChar))));
        // The segment checks should make this impossible; it is the guarantee, whatever a platform makes of a path.
        if (!full.StartsWith(bucketFolder + Path.DirectorySeparatorChar, PathComparison) && !full.Equals(bucketFolder, PathComparison))
            throw DynamoErrors.S3PrefixOutsideExportRoot(bucket, prefix);
        return full;
    }

    /// <summary>S3's rules for general purpose bucket names (the ones a path could abuse, and the rest, since they are few).</summary>
    public static bool IsValidBucketName(string? bucket)
    {
        if (bucket is null || bucket.Length is < 3 or > 63) return false;
        if (!IsLetterOrDigit(bucket[0]) || !IsLetterOrDigit(bucket[^1]) || bucket.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in bucket)
            if (!IsLetterOrDigit(c) && c is not ('.' or '-')) return false;
        return true;
    }

    private static bool IsLetterOrDigit(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
