using System.Text.Json;

namespace OrleansDynamo.Infra.Tests.Support;

/// <summary>One instruction of a Dockerfile: its keyword, its flags (<c>--from=build</c>) and the rest of the line.</summary>
internal sealed record Instruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments, int Line)
{
    /// <summary>The arguments as words: the JSON form (<c>["a", "b"]</c>) or split on white space.</summary>
    public IReadOnlyList<string> Words =>
        Arguments.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(Arguments)!
        : Arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}

internal sealed record Stage(string Image, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>
/// A small Dockerfile reader: comments and blank lines dropped, backslash continuations joined, instructions
/// grouped into stages by FROM. Enough for the checks here; not a full implementation of the format.
/// </summary>
internal static class Dockerfile
{
    public static IReadOnlyList<Stage> Parse(string text)
    {
        var stages = new List<(string Image, string? Name, List<Instruction> Instructions)>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            while (line.EndsWith('\\') && i + 1 < lines.Length)
            {
                line = line[..^1].TrimEnd();
                var next = lines[++i].Trim();
                if (next.StartsWith('#')) continue; // comment lines inside a continuation are dropped too
                line += " " + next;
            }
            var space = line.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            // HEALTHCHECK's flags come before CMD, as COPY's before its sources.
            while (rest.StartsWith("--", StringComparison.Ordinal))
            {
                var end = rest.IndexOf(' ');
                var flag = end < 0 ? rest : rest[..end];
                var equals = flag.IndexOf('=');
                flags[equals < 0 ? flag[2..] : flag[2..equals]] = equals < 0 ? "" : flag[(equals + 1)..];
                rest = end < 0 ? "" : rest[(end + 1)..].TrimStart();
            }
            if (keyword == "FROM")
            {
                var words = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = words.Length >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add((words[0], name, []));
                continue;
            }
            Assert.True(stages.Count > 0, $"line {number}: {keyword} before any FROM");
            stages[^1].Instructions.Add(new Instruction(keyword, flags, rest, number));
        }
        return stages.Select(s => new Stage(s.Image, s.Name, s.Instructions)).ToList();
    }
}
