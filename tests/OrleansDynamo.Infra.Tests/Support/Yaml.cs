using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OrleansDynamo.Infra.Tests.Support;

/// <summary>Reading YAML documents by path, failing with the path that is missing.</summary>
internal static class Yaml
{
    /// <summary>Every document of a file; merge keys (<c>&lt;&lt;: *anchor</c>) are resolved, as Compose does.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repo.Read(relativePath));
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }) // an empty document (a trailing ---)
            .Select(d => Assert.IsType<YamlMappingNode>(d.RootNode))
            .ToList();
    }

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The node at a dotted path (<c>spec.template.metadata</c>), or a failure naming the path.</summary>
    public static YamlNode At(this YamlNode node, string path)
    {
        var current = node;
        foreach (var key in path.Split('.'))
            current = current.Get(key) ?? throw new Xunit.Sdk.XunitException($"no '{path}' (missing '{key}')");
        return current;
    }

    public static YamlNode? TryAt(this YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var key in path.Split('.'))
            current = current?.Get(key);
        return current;
    }

    public static string Text(this YamlNode node, string path) =>
        node.At(path) is YamlScalarNode { Value: { } value } ? value : throw new Xunit.Sdk.XunitException($"'{path}' is not a scalar");

    public static string? TryText(this YamlNode node, string path) => node.TryAt(path) is YamlScalarNode scalar ? scalar.Value : null;

    public static IReadOnlyList<YamlNode> List(this YamlNode node, string path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : throw new Xunit.Sdk.XunitException($"'{path}' is not a list");

    public static IReadOnlyList<YamlNode> TryList(this YamlNode node, string path) =>
        node.TryAt(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyList<string> Strings(this YamlNode node, string path) =>
        node.List(path).Select(n => ((YamlScalarNode)n).Value ?? "").ToList();

    /// <summary>A mapping of scalars (labels, selectors) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Dictionary(this YamlNode node, string path) =>
        node.At(path) is YamlMappingNode map
            ? map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "")
            : throw new Xunit.Sdk.XunitException($"'{path}' is not a mapping");
}
