using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace OrleansDynamo.Cli;

/// <summary>
/// Where a command's answer goes: Spectre tables for a person, or with <c>--json</c> one JSON document and nothing
/// else on stdout. Errors and notes always go to stderr, so that stdout stays parseable.
/// </summary>
internal sealed class Output
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // ARNs and names as they are, not with '+' and '<' escaped for HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private Output(bool json, IAnsiConsole console)
    {
        Json = json;
        Console = console;
    }

    public bool Json { get; }

    /// <summary>Stdout as Spectre sees it.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>A live display only where a person watches: a terminal on stdout, and not <c>--json</c>.</summary>
    public bool Live => !Json && !System.Console.IsOutputRedirected && Console.Profile.Capabilities.Interactive;

    public static Output From(ParseResult parsed)
    {
        var redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            // Into a pipe or a file: plain text, no colours or cursor movement.
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        // A pipe has no width: wide enough that a table's ARNs are not wrapped over lines for grep to miss.
        if (redirected) console.Profile.Width = 400;
        return new Output(parsed.GetValue(GlobalOptions.Json), console);
    }

    /// <summary>The answer: <paramref name="json"/> serialised with <c>--json</c>, else what <paramref name="human"/> renders.</summary>
    public void Write(object json, Func<IEnumerable<IRenderable>> human)
    {
        if (Json)
        {
            System.Console.Out.WriteLine(JsonSerializer.Serialize(json, json.GetType(), JsonOptions));
            return;
        }
        foreach (var renderable in human()) Console.Write(renderable);
    }

    /// <summary>A line on stderr (errors, notes), never in the way of stdout's answer.</summary>
    public void Error(string line) => System.Console.Error.WriteLine(line);

    /// <summary>A table with the given headers, no markup read in cells: names and messages are shown as they are.</summary>
    public static Table Table(string? title, params string[] headers)
    {
        var table = new Table { Border = TableBorder.Rounded };
        if (title is not null) table.Title = new TableTitle(Markup.Escape(title));
        foreach (var header in headers) table.AddColumn(new TableColumn(new Text(header)));
        return table;
    }

    /// <summary>One result as rows of field and value: an ARN stays on one line where a wide row would wrap.</summary>
    public static Table Details(params (string Field, object? Value)[] rows)
    {
        var table = new Table { Border = TableBorder.Rounded, ShowHeaders = false };
        table.AddColumn(new TableColumn(new Text(""))).AddColumn(new TableColumn(new Text("")));
        foreach (var (field, value) in rows) AddRow(table, field, value);
        return table;
    }

    public static void AddRow(Table table, params object?[] cells) =>
        table.AddRow(cells.Select(cell => (IRenderable)new Text(Format(cell))));

    public static IRenderable Line(string text) => new Text(text + "\n");

    public static string Format(object? value) => value switch
    {
        null => "-",
        long or int => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:N0}", value),
        DateTime time => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
