using System.Globalization;
using System.Text;
using OrleansDynamo.Errors;
using OrleansDynamo.Model;

namespace OrleansDynamo.PartiQL;

/// <summary>
/// Hand-written recursive-descent parser for DynamoDB's PartiQL dialect: SELECT, INSERT, UPDATE, DELETE and (in
/// transactions) EXISTS. Keywords are case-insensitive; table and attribute names are bare words or double-quoted;
/// strings are single-quoted (<c>''</c> inside); <c>?</c> marks a parameter. Syntax errors are DynamoDB's
/// "Statement wasn't well formed" ValidationException.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
/// </summary>
internal sealed class PartiQLParser
{
    private enum Kind { Word, QuotedName, String, Number, Question, Symbol, End }

    private readonly record struct Token(Kind Kind, string Text, int Start);

    private readonly List<Token> _tokens;
    private int _position;
    private int _parameters;

    private PartiQLParser(string text) => _tokens = Tokenize(text);

    /// <summary>The statement, and how many <c>?</c> parameters it has.</summary>
    public static (PqlStatement Statement, int Parameters) Parse(string text)
    {
        var parser = new PartiQLParser(text);
        var statement = parser.ParseStatement();
        if (parser.Current.Kind != Kind.End) throw parser.Unexpected();
        return (statement, parser._parameters);
    }

    private Token Current => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private bool IsWord(string word) => Current.Kind == Kind.Word && string.Equals(Current.Text, word, StringComparison.OrdinalIgnoreCase);

    private bool IsSymbol(string symbol) => Current.Kind == Kind.Symbol && Current.Text == symbol;

    private bool TakeWord(string word)
    {
        if (!IsWord(word)) return false;
        _position++;
        return true;
    }

    private bool TakeSymbol(string symbol)
    {
        if (!IsSymbol(symbol)) return false;
        _position++;
        return true;
    }

    private void ExpectWord(string word)
    {
        if (!TakeWord(word)) throw Unexpected();
    }

    private void ExpectSymbol(string symbol)
    {
        if (!TakeSymbol(symbol)) throw Unexpected();
    }

    private DynamoException Unexpected() => Current.Kind == Kind.End
        ? DynamoErrors.PartiQLSyntax("unexpected end of statement")
        : DynamoErrors.PartiQLSyntax($"unexpected token found at line 1, column {Current.Start + 1}: {Current.Text}");

    // ---- statements -------------------------------------------------------------------------

    private PqlStatement ParseStatement()
    {
        if (TakeWord("SELECT")) return ParseSelectRest();
        if (TakeWord("INSERT"))
        {
            ExpectWord("INTO");
            var table = ParseName();
            ExpectWord("VALUE");
            var value = ParseValue();
            if (IsWord("RETURNING")) throw DynamoErrors.PartiQLInsertReturning();
            return new PqlInsert(table, value);
        }
        if (TakeWord("UPDATE")) return ParseUpdateRest();
        if (TakeWord("DELETE"))
        {
            ExpectWord("FROM");
            var table = ParseName();
            var where = TakeWord("WHERE") ? ParseOr() : null;
            return new PqlDelete(table, where, ParseReturning());
        }
        if (TakeWord("EXISTS"))
        {
            ExpectSymbol("(");
            ExpectWord("SELECT");
            var select = ParseSelectRest();
            ExpectSymbol(")");
            return new PqlExists(select);
        }
        throw DynamoErrors.PartiQLSyntax("Expected data manipulation");
    }

    private PqlSelect ParseSelectRest()
    {
        List<PqlPath>? projection = null;
        if (!TakeSymbol("*"))
        {
            projection = [ParsePath()];
            while (TakeSymbol(",")) projection.Add(ParsePath());
        }
        ExpectWord("FROM");
        var table = ParseName();
        var index = TakeSymbol(".") ? ParseName() : null;
        var where = TakeWord("WHERE") ? ParseOr() : null;
        var orderBy = new List<PqlOrder>();
        if (TakeWord("ORDER"))
        {
            ExpectWord("BY");
            do
            {
                var attribute = ParseName();
                var descending = TakeWord("DESC");
                if (!descending) TakeWord("ASC");
                orderBy.Add(new PqlOrder(attribute, descending));
            } while (TakeSymbol(","));
        }
        return new PqlSelect(table, index, projection, where, orderBy);
    }

    private PqlUpdate ParseUpdateRest()
    {
        var table = ParseName();
        var sets = new List<PqlAssignment>();
        var removes = new List<PqlPath>();
        while (true)
        {
            if (TakeWord("SET"))
            {
                do
                {
                    var path = ParsePath();
                    ExpectSymbol("=");
                    sets.Add(new PqlAssignment(path, ParseSum()));
                } while (TakeSymbol(","));
            }
            else if (TakeWord("REMOVE"))
            {
                do removes.Add(ParsePath()); while (TakeSymbol(","));
            }
            else break;
        }
        if (sets.Count == 0 && removes.Count == 0) throw Unexpected();
        var where = TakeWord("WHERE") ? ParseOr() : null;
        return new PqlUpdate(table, sets, removes, where, ParseReturning());
    }

    /// <summary><c>RETURNING ALL OLD *</c> and the like, as ReturnValues (ALL_OLD, UPDATED_NEW, ...).</summary>
    private string? ParseReturning()
    {
        if (!TakeWord("RETURNING")) return null;
        var all = TakeWord("ALL");
        if (!all) ExpectWord("MODIFIED");
        var old = TakeWord("OLD");
        if (!old) ExpectWord("NEW");
        ExpectSymbol("*");
        return (all ? "ALL_" : "UPDATED_") + (old ? "OLD" : "NEW");
    }

    private string ParseName()
    {
        var token = Next();
        if (token.Kind is Kind.Word or Kind.QuotedName) return token.Text;
        _position--;
        throw Unexpected();
    }

    // ---- conditions -------------------------------------------------------------------------

    private PqlCondition ParseOr()
    {
        var left = ParseAnd();
        while (TakeWord("OR")) left = new PqlOr(left, ParseAnd());
        return left;
    }

    private PqlCondition ParseAnd()
    {
        var left = ParseNot();
        while (TakeWord("AND")) left = new PqlAnd(left, ParseNot());
        return left;
    }

    private PqlCondition ParseNot() => TakeWord("NOT") ? new PqlNot(ParseNot()) : ParsePredicate();

    private static readonly string[] ConditionFunctions = ["begins_with", "contains", "attribute_type"];

    /// <summary>The PartiQL type names <c>IS</c> takes, and the DynamoDB type each stands for.</summary>
    private static readonly Dictionary<string, string> TypeCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        [PqlIs.Missing] = PqlIs.Missing, ["NULL"] = "NULL", ["BOOLEAN"] = "BOOL", ["BOOL"] = "BOOL", ["STRING"] = "S", ["NUMBER"] = "N",
        ["DECIMAL"] = "N", ["INT"] = "N", ["INTEGER"] = "N", ["FLOAT"] = "N", ["BLOB"] = "B", ["BINARY"] = "B", ["LIST"] = "L", ["STRUCT"] = "M",
        ["TUPLE"] = "M",
    };

    private PqlCondition ParsePredicate()
    {
        if (TakeSymbol("("))
        {
            var inner = ParseOr();
            ExpectSymbol(")");
            return inner;
        }
        var left = ParseSum();
        if (left is PqlCall call && ConditionFunctions.Contains(call.Name, StringComparer.OrdinalIgnoreCase))
            return new PqlFunctionCondition(call with { Name = call.Name.ToLowerInvariant() });
        if (TakeWord("BETWEEN"))
        {
            var low = ParseSum();
            ExpectWord("AND");
            return new PqlBetween(left, low, ParseSum());
        }
        if (TakeWord("IN"))
        {
            var close = TakeSymbol("[") ? "]" : TakeSymbol("(") ? ")" : throw Unexpected();
            var options = new List<PqlExpr> { ParseSum() };
            while (TakeSymbol(",")) options.Add(ParseSum());
            ExpectSymbol(close);
            return new PqlIn(left, options);
        }
        if (TakeWord("IS"))
        {
            var negated = TakeWord("NOT");
            var type = Current.Kind == Kind.Word && TypeCodes.TryGetValue(Current.Text, out var code) ? code : throw Unexpected();
            Next();
            return left is PqlPath path ? new PqlIs(path, type, negated) : throw DynamoErrors.PartiQLSyntax("IS needs an attribute path on its left");
        }
        foreach (var op in new[] { "=", "<>", "!=", "<=", ">=", "<", ">" })
            if (TakeSymbol(op)) return new PqlComparison(op == "!=" ? "<>" : op, left, ParseSum());
        throw Unexpected();
    }

    // ---- values -----------------------------------------------------------------------------

    private PqlExpr ParseSum()
    {
        var left = ParseOperand();
        while (IsSymbol("+") || IsSymbol("-")) left = new PqlArithmetic(Next().Text == "+", left, ParseOperand());
        return left;
    }

    private PqlExpr ParseOperand()
    {
        if (Current.Kind is Kind.Word or Kind.QuotedName && _tokens[_position + 1] is { Kind: Kind.Symbol, Text: "(" } && Current.Kind == Kind.Word
            && !IsWord("NOT"))
        {
            var name = Next().Text;
            Next();
            var arguments = new List<PqlExpr>();
            if (!TakeSymbol(")"))
            {
                do arguments.Add(ParseSum()); while (TakeSymbol(","));
                ExpectSymbol(")");
            }
            return new PqlCall(name.ToLowerInvariant(), arguments);
        }
        if (IsWord(PqlIs.Missing)) throw DynamoErrors.PartiQLMissingNeedsIs();
        if (Current.Kind == Kind.Word && !IsWord("TRUE") && !IsWord("FALSE") && !IsWord("NULL") || Current.Kind == Kind.QuotedName) return ParsePath();
        return ParseValue();
    }

    private PqlPath ParsePath()
    {
        var steps = new List<object> { ParseName() };
        while (true)
        {
            if (IsSymbol(".") && _tokens[_position + 1].Kind is Kind.Word or Kind.QuotedName)
            {
                Next();
                steps.Add(ParseName());
            }
            else if (TakeSymbol("["))
            {
                var index = Next();
                if (index.Kind != Kind.Number || !int.TryParse(index.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var i)) { _position--; throw Unexpected(); }
                ExpectSymbol("]");
                steps.Add(i);
            }
            else return new PqlPath(steps);
        }
    }

    private PqlExpr ParseValue()
    {
        var token = Current;
        switch (token.Kind)
        {
            case Kind.String:
                Next();
                return new PqlLiteral(AttributeValue.FromS(token.Text));
            case Kind.Number:
                Next();
                return new PqlLiteral(Number(token.Text));
            case Kind.Question:
                Next();
                return new PqlParameter(_parameters++);
            case Kind.Word when IsWord("TRUE") || IsWord("FALSE"):
                Next();
                return new PqlLiteral(AttributeValue.FromBool(string.Equals(token.Text, "TRUE", StringComparison.OrdinalIgnoreCase)));
            case Kind.Word when IsWord("NULL"):
                Next();
                return new PqlLiteral(AttributeValue.Null);
            case Kind.Symbol when token.Text == "-" && _tokens[_position + 1].Kind == Kind.Number:
                Next();
                return new PqlLiteral(Number("-" + Next().Text));
            case Kind.Symbol when token.Text == "[":
                Next();
                return new PqlList(Items("]"));
            case Kind.Symbol when token.Text == "<<":
                Next();
                return new PqlSet(Items(">>"));
            case Kind.Symbol when token.Text == "{":
                Next();
                var members = new List<KeyValuePair<string, PqlExpr>>();
                if (!TakeSymbol("}"))
                {
                    do
                    {
                        var key = Next();
                        if (key.Kind != Kind.String) { _position--; throw Unexpected(); }
                        ExpectSymbol(":");
                        members.Add(new(key.Text, ParseValue()));
                    } while (TakeSymbol(","));
                    ExpectSymbol("}");
                }
                return new PqlMap(members);
            default:
                throw Unexpected();
        }
    }

    private List<PqlExpr> Items(string close)
    {
        var items = new List<PqlExpr>();
        if (TakeSymbol(close)) return items;
        do items.Add(ParseValue()); while (TakeSymbol(","));
        ExpectSymbol(close);
        return items;
    }

    private static AttributeValue Number(string text) =>
        DynamoNumber.TryParse(text, out var number, out var error) ? AttributeValue.FromN(number) : throw DynamoErrors.InvalidNumber(error);

    // ---- tokens -----------------------------------------------------------------------------

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$')) i++;
                tokens.Add(new Token(Kind.Word, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && tokens is not [.., { Kind: Kind.Word or Kind.QuotedName }]))
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    i++;
                    if (i < text.Length && text[i] is '+' or '-') i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                }
                tokens.Add(new Token(Kind.Number, text[start..i], start));
            }
            else if (c is '\'' or '"')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length) throw DynamoErrors.PartiQLSyntax($"unterminated {(c == '"' ? "quoted name" : "string")} at line 1, column {start + 1}");
                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c) { value.Append(c); i += 2; continue; }
                        i++;
                        break;
                    }
                    value.Append(text[i++]);
                }
                tokens.Add(new Token(c == '"' ? Kind.QuotedName : Kind.String, value.ToString(), start));
            }
            else if (c == '?')
            {
                i++;
                tokens.Add(new Token(Kind.Question, "?", start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                var symbol = two is "<<" or ">>" or "<>" or "!=" or "<=" or ">=" ? two : c.ToString();
                if (symbol.Length == 1 && "()[]{},.:*=<>+-".IndexOf(c) < 0) throw DynamoErrors.PartiQLSyntax($"unexpected character found at line 1, column {start + 1}: {c}");
                i += symbol.Length;
                tokens.Add(new Token(Kind.Symbol, symbol, start));
            }
        }
        tokens.Add(new Token(Kind.End, "", text.Length));
        return tokens;
    }
}
