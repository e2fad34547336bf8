namespace OrleansDynamo.ProcessTests;

/// <summary>A data directory of its own for an embedded-store server, deleted afterwards: <c>--data-dir</c> and its path.</summary>
public sealed class TempDataDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "odyn-data-" + Guid.NewGuid().ToString("N"));

    public string[] Arguments => ["--data-dir", Path];

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
