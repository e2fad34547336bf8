using OrleansDynamo.Errors;
using OrleansDynamo.Transfer;

namespace OrleansDynamo.Core.Tests.Transfer;

/// <summary>S3 buckets as folders under the export root, and nothing outside it.</summary>
public sealed class BucketFoldersTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "odyn-export-root");

    private static DynamoException Refusal(string? root, string bucket, string? prefix)
    {
        var error = Assert.Throws<DynamoException>(() => new BucketFolders(root).Resolve(bucket, prefix));
        Assert.Equal(DynamoErrorTypes.Validation, error.ErrorType);
        return error;
    }

    [Fact]
    public void A_bucket_is_a_folder_of_the_root_and_a_prefix_a_path_below_it()
    {
        var folders = new BucketFolders(Root + Path.DirectorySeparatorChar);
        Assert.Equal(Path.Combine(Root, "my-bucket"), folders.Resolve("my-bucket", null));
        Assert.Equal(Path.Combine(Root, "my-bucket"), folders.Resolve("my-bucket", ""));
        Assert.Equal(Path.Combine(Root, "my-bucket", "exports", "2024"), folders.Resolve("my-bucket", "exports/2024"));
        Assert.Equal(Path.Combine(Root, "my-bucket", "exports"), folders.Resolve("my-bucket", "exports/"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_root_export_and_import_are_refused(string? root) =>
        Assert.Contains("--export-root", Refusal(root, "my-bucket", null).Message);

    [Theory]
    [InlineData("ab")]
    [InlineData("My-Bucket")]
    [InlineData("-bucket")]
    [InlineData("bucket-")]
    [InlineData(".bucket")]
    [InlineData("a..b")]
    [InlineData("my_bucket")]
    [InlineData("my/bucket")]
    [InlineData("..")]
    [InlineData("...")]
    public void Names_S3_would_refuse_are_refused(string bucket) =>
        Assert.StartsWith("Invalid S3 bucket name: " + bucket + ":", Refusal(Root, bucket, null).Message);

    [Fact]
    public void Bucket_names_are_3_to_63_characters()
    {
        var folders = new BucketFolders(Root);
        Assert.EndsWith("abc", folders.Resolve("abc", null));
        Assert.EndsWith("my.bucket-1", folders.Resolve("my.bucket-1", null));
        Assert.NotNull(folders.Resolve(new string('a', 63), null));
        Refusal(Root, new string('a', 64), null);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../other-bucket")]
    [InlineData("exports/../../escape")]
    [InlineData("exports/./2024")]
    [InlineData("/etc")]
    [InlineData("..\\escape")]
    [InlineData("exports\\..\\..\\escape")]
    public void Prefixes_that_leave_the_bucket_are_refused(string prefix) =>
        Assert.Contains("does not name a folder inside the bucket", Refusal(Root, "my-bucket", prefix).Message);
}
