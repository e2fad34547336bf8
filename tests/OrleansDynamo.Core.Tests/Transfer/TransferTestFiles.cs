using System.IO.Compression;
using System.Text;
using OrleansDynamo.Model;
using OrleansDynamo.Transfer;

namespace OrleansDynamo.Core.Tests.Transfer;

/// <summary>A fresh folder per test, removed afterwards, and helpers to write input files and read an import.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("odyn-transfer-").FullName;

    public string Write(string relativePath, string text) => Write(relativePath, Encoding.UTF8.GetBytes(text));

    public string Write(string relativePath, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class TransferTestFiles
{
    public static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    public static byte[] Zstd(string text)
    {
        using var output = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(output)) zstd.Write(Encoding.UTF8.GetBytes(text));
        return output.ToArray();
    }

    public static async Task<List<ImportRecord>> ReadAllAsync(string path, ImportFormatOptions options)
    {
        var records = new List<ImportRecord>();
        await foreach (var record in ImportFileReader.ReadAsync(path, options)) records.Add(record);
        return records;
    }

    public static List<Item> Items(this IEnumerable<ImportRecord> records) => records.Where(r => !r.IsError).Select(r => r.Item!).ToList();

    public static List<ImportItemError> Errors(this IEnumerable<ImportRecord> records) => records.Where(r => r.IsError).Select(r => r.Error!).ToList();

    public static Item ItemOf(params (string Name, AttributeValue Value)[] attributes) =>
        new(attributes.Select(a => KeyValuePair.Create(a.Name, a.Value)));

    public static void AssertSameItem(Item expected, Item actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected)
            Assert.True(value.Equals(actual[name]), $"{name}: expected {value}, got {actual[name]}");
    }
}
