using System.Globalization;

namespace OrleansDynamo.LoadGenerator;

/// <summary>
/// The flags of a scenario: <c>--name value</c> pairs and bare <c>--flag</c> switches, after the scenario name.
/// An argument is a flag name when it starts with <c>--</c> and has no blank in it, so a value such as
/// <c>--server-args "--cache-mb 64"</c> passes through; a value without a blank that starts with <c>--</c> is
/// written <c>--server-args=--in-memory</c>. A flag the scenario never asks for is reported by <see cref="ThrowOnUnknown"/>, so a typo does not go unnoticed.
/// </summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    public BenchArgs(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 && !arg.Any(char.IsWhiteSpace))
            {
                if (pending is not null) _values[pending] = null;
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0) { _values[arg[2..equals]] = arg[(equals + 1)..]; pending = null; }
                else pending = arg[2..];
            }
            else if (pending is not null) { _values[pending] = arg; pending = null; }
            else throw new ArgumentException($"unexpected argument '{arg}' (flags are --name value)");
        }
        if (pending is not null) _values[pending] = null;
    }

    public bool Flag(string name)
    {
        _asked.Add(name);
        if (!_values.TryGetValue(name, out var value)) return false;
        return value is null || bool.Parse(value);
    }

    public string String(string name, string fallback) => Optional(name) ?? fallback;

    public string? Optional(string name)
    {
        _asked.Add(name);
        return _values.TryGetValue(name, out var value) ? value ?? throw new ArgumentException($"--{name} needs a value") : null;
    }

    public int Int(string name, int fallback) => Optional(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => Optional(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public void ThrowOnUnknown()
    {
        var unknown = _values.Keys.Where(k => !_asked.Contains(k)).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"unknown flag(s): {string.Join(", ", unknown.Select(k => "--" + k))}");
    }
}
