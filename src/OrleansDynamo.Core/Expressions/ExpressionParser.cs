using System.Globalization;
using System.Text;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Expressions;

/// <summary>
/// Hand-written recursive-descent parser for all five expression kinds. It reports syntax errors
/// (and the limits DynamoDB checks while parsing) at once; everything that depends on
/// ExpressionAttributeNames/Values is checked later by <see cref="ExpressionValidator"/>.
/// </summary>
/// <remarks>Precedence, loosest first: OR, AND, NOT, then comparisons, BETWEEN, IN and functions.
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html</remarks>
internal sealed class ExpressionParser
{
    public const int MaxExpressionBytes = 4096;
    public const int MaxOperators = 300;
    public const int MaxInOperands = 100;

    /// <summary>
    /// Parentheses nest at most this deep: the parser recurses per level, and an expression of 4 KB could otherwise
    /// nest 2,000 deep. Our limit; DynamoDB's is not documented.
    /// </summary>
    public const int MaxParenthesesDepth = 100;
    public const int MaxPathDepth = 32;

    private readonly string _text;
    private readonly ExpressionKind _kind;
    private readonly List<Token> _tokens;
    private int _position;
    private int _depth;
    private int _operandDepth;
    private int _operators;
    private bool _redundantParentheses;

    private ExpressionParser(string text, ExpressionKind kind)
    {
        _text = text;
        _kind = kind;
        _tokens = Tokenizer.Tokenize(text);
    }

    public static ParsedCondition ParseCondition(string text, ExpressionKind kind)
    {
        var parser = Start(text, kind);
        var (node, _) = parser.ParseOr();
        parser.ExpectEnd();
        // At depth 0 ParseComparisonLevel never returns a bare operand.
        return new ParsedCondition((ConditionNode)node, parser._redundantParentheses);
    }

    public static ParsedUpdate ParseUpdate(string text)
    {
        var parser = Start(text, ExpressionKind.UpdateExpression);
        return parser.ParseUpdateSections();
    }

    public static ParsedProjection ParseProjection(string text)
    {
        var parser = Start(text, ExpressionKind.ProjectionExpression);
        var paths = new List<PathOperand> { parser.ParsePath() };
        while (parser.Current.Kind == TokenKind.Comma)
        {
            parser.Next();
            paths.Add(parser.ParsePath());
        }
        parser.ExpectEnd();
        return new ParsedProjection([.. paths]);
    }

    private static ExpressionParser Start(string text, ExpressionKind kind)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw DynamoErrors.InvalidExpression(kind.ToString(), "The expression can not be empty;");
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxExpressionBytes)
            throw DynamoErrors.InvalidExpression(kind.ToString(),
                $"Expression size has exceeded the maximum allowed size; expression size: {size}");
        return new ExpressionParser(text, kind);
    }

    // ---- conditions ---------------------------------------------------------------------------

    /// <returns>The node, and whether it is exactly one parenthesised group (for the redundant-parentheses rule).</returns>
    private (ExpressionNode Node, bool IsGroup) ParseOr()
    {
        var (left, isGroup) = ParseAnd();
        while (IsKeyword("OR"))
        {
            Next();
            CountOperator();
            var (right, _) = ParseAnd();
            left = new Or(RequireCondition(left), RequireCondition(right));
            isGroup = false;
        }
        return (left, isGroup);
    }

    private (ExpressionNode Node, bool IsGroup) ParseAnd()
    {
        var (left, isGroup) = ParseNot();
        while (IsKeyword("AND"))
        {
            Next();
            CountOperator();
            var (right, _) = ParseNot();
            left = new And(RequireCondition(left), RequireCondition(right));
            isGroup = false;
        }
        return (left, isGroup);
    }

    private (ExpressionNode Node, bool IsGroup) ParseNot()
    {
        if (!IsKeyword("NOT")) return ParseComparisonLevel();
        Next();
        CountOperator();
        var (operand, _) = ParseNot();
        return (new Not(RequireCondition(operand)), false);
    }

    /// <summary>A bare operand may only come back from inside parentheses, where the enclosing
    /// group decides whether it was a parenthesised operand; anywhere else it is a syntax error.</summary>
    private ConditionNode RequireCondition(ExpressionNode node) => node switch
    {
        ConditionNode condition => condition,
        FunctionCall call => new FunctionCondition(call),
        _ => throw SyntaxError(_position),
    };

    private (ExpressionNode Node, bool IsGroup) ParseComparisonLevel()
    {
        var (unit, isGroup) = ParseUnit();
        if (unit is ConditionNode) return (unit, isGroup);
        var operand = (Operand)unit;
        if (TryComparator(out var comparator))
        {
            Next();
            CountOperator();
            return (new Comparison(comparator, operand, ParseOperandUnit()), false);
        }
        if (IsKeyword("BETWEEN"))
        {
            Next();
            CountOperator();
            var lower = ParseOperandUnit();
            if (!IsKeyword("AND")) throw SyntaxError(_position);
            Next();
            return (new Between(operand, lower, ParseOperandUnit()), false);
        }
        if (IsKeyword("IN"))
        {
            Next();
            CountOperator();
            Expect(TokenKind.LeftParen);
            var candidates = new List<Operand> { ParseOperandUnit() };
            while (Current.Kind == TokenKind.Comma)
            {
                Next();
                candidates.Add(ParseOperandUnit());
            }
            Expect(TokenKind.RightParen);
            if (candidates.Count > MaxInOperands)
                throw Error($"The IN operator is provided with too many operands; number of operands: {candidates.Count}");
            return (new In(operand, [.. candidates]), false);
        }
        if (Current.Kind == TokenKind.RightParen && _depth > 0) return (operand, isGroup);
        if (operand is FunctionCall call) return (new FunctionCondition(call), isGroup);
        throw SyntaxError(_position);
    }

    /// <summary>A parenthesised condition or operand, or an operand.</summary>
    private (ExpressionNode Node, bool IsGroup) ParseUnit()
    {
        if (Current.Kind != TokenKind.LeftParen) return (ParseOperandAtom(), false);
        Next();
        if (++_depth > MaxParenthesesDepth) throw TooDeep();
        var (inner, innerIsGroup) = ParseOr();
        Expect(TokenKind.RightParen);
        _depth--;
        if (innerIsGroup) _redundantParentheses = true;
        return (inner, true);
    }

    private Operand ParseOperandUnit()
    {
        if (Current.Kind != TokenKind.LeftParen) return ParseOperandAtom();
        Next();
        if (++_operandDepth > MaxParenthesesDepth) throw TooDeep();
        var innerIsGroup = Current.Kind == TokenKind.LeftParen;
        var inner = ParseOperandUnit();
        Expect(TokenKind.RightParen);
        _operandDepth--;
        if (innerIsGroup) _redundantParentheses = true;
        return inner;
    }

    private bool TryComparator(out Comparator comparator)
    {
        comparator = Current.Kind switch
        {
            TokenKind.Equal => Comparator.Equal,
            TokenKind.NotEqual => Comparator.NotEqual,
            TokenKind.Less => Comparator.Less,
            TokenKind.LessOrEqual => Comparator.LessOrEqual,
            TokenKind.Greater => Comparator.Greater,
            TokenKind.GreaterOrEqual => Comparator.GreaterOrEqual,
            _ => (Comparator)(-1),
        };
        return (int)comparator >= 0;
    }

    // ---- operands -----------------------------------------------------------------------------

    /// <summary>A value placeholder, a function call or a document path.</summary>
    private Operand ParseOperandAtom()
    {
        var token = Current;
        if (token.Kind == TokenKind.ValuePlaceholder)
        {
            Next();
            return new ValueOperand(TextOf(token));
        }
        if (token.Kind == TokenKind.Identifier && !IsLanguageKeyword(token) && PeekKind(1) == TokenKind.LeftParen)
        {
            var name = TextOf(token);
            Next();
            Next();
            CountOperator();
            var arguments = new List<Operand> { ParseOperandUnit() };
            while (Current.Kind == TokenKind.Comma)
            {
                Next();
                arguments.Add(ParseOperandUnit());
            }
            Expect(TokenKind.RightParen);
            return new FunctionCall(name, [.. arguments]);
        }
        return ParsePath();
    }

    private PathOperand ParsePath()
    {
        var elements = new List<PathElement> { ParsePathName() };
        while (true)
        {
            if (Current.Kind == TokenKind.Dot)
            {
                Next();
                elements.Add(ParsePathName());
            }
            else if (Current.Kind == TokenKind.LeftBracket)
            {
                Next();
                var token = Current;
                if (token.Kind != TokenKind.Number ||
                    !int.TryParse(_text.AsSpan(token.Start, token.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    throw SyntaxError(_position);
                Next();
                Expect(TokenKind.RightBracket);
                elements.Add(new PathElement(null, index, false));
            }
            else break;
        }
        if (elements.Count > MaxPathDepth)
            throw Error($"The document path has too many nesting levels; nesting levels: {elements.Count}");
        return new PathOperand([.. elements]);
    }

    private PathElement ParsePathName()
    {
        var token = Current;
        if (token.Kind == TokenKind.NamePlaceholder)
        {
            Next();
            return new PathElement(TextOf(token), 0, true);
        }
        if (token.Kind == TokenKind.Identifier && !IsLanguageKeyword(token))
        {
            Next();
            return new PathElement(TextOf(token), 0, false);
        }
        throw SyntaxError(_position);
    }

    // ---- update -------------------------------------------------------------------------------

    private ParsedUpdate ParseUpdateSections()
    {
        var actions = new List<UpdateAction>();
        var seen = new HashSet<UpdateActionKind>();
        string? repeated = null;
        do
        {
            if (!TryUpdateSection(out var kind)) throw SyntaxError(_position);
            if (!seen.Add(kind)) repeated ??= kind.ToString().ToUpperInvariant();
            Next();
            actions.Add(ParseUpdateAction(kind));
            while (Current.Kind == TokenKind.Comma)
            {
                Next();
                actions.Add(ParseUpdateAction(kind));
            }
        }
        while (Current.Kind != TokenKind.End);
        return new ParsedUpdate([.. actions], repeated);
    }

    private bool TryUpdateSection(out UpdateActionKind kind)
    {
        kind = default;
        if (Current.Kind != TokenKind.Identifier) return false;
        var word = TextOf(Current);
        if (word.Equals("SET", StringComparison.OrdinalIgnoreCase)) kind = UpdateActionKind.Set;
        else if (word.Equals("REMOVE", StringComparison.OrdinalIgnoreCase)) kind = UpdateActionKind.Remove;
        else if (word.Equals("ADD", StringComparison.OrdinalIgnoreCase)) kind = UpdateActionKind.Add;
        else if (word.Equals("DELETE", StringComparison.OrdinalIgnoreCase)) kind = UpdateActionKind.Delete;
        else return false;
        return true;
    }

    private UpdateAction ParseUpdateAction(UpdateActionKind kind)
    {
        var path = ParsePath();
        switch (kind)
        {
            case UpdateActionKind.Set:
                Expect(TokenKind.Equal);
                return new UpdateAction(kind, path, ParseSetValue());
            case UpdateActionKind.Remove:
                return new UpdateAction(kind, path, null);
            default:
                var token = Current;
                if (token.Kind != TokenKind.ValuePlaceholder) throw SyntaxError(_position);
                Next();
                return new UpdateAction(kind, path, new ValueOperand(TextOf(token)));
        }
    }

    private Operand ParseSetValue()
    {
        var left = ParseSetOperand();
        if (Current.Kind is not (TokenKind.Plus or TokenKind.Minus)) return left;
        var isPlus = Current.Kind == TokenKind.Plus;
        Next();
        CountOperator();
        return new Arithmetic(isPlus, left, ParseSetOperand());
    }

    private Operand ParseSetOperand()
    {
        if (Current.Kind != TokenKind.LeftParen) return ParseOperandAtom();
        Next();
        var inner = ParseSetValue();
        Expect(TokenKind.RightParen);
        return inner;
    }

    // ---- tokens -------------------------------------------------------------------------------

    private Token Current => _tokens[_position];

    private TokenKind PeekKind(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)].Kind;

    private void Next()
    {
        if (_position < _tokens.Count - 1) _position++;
    }

    private void Expect(TokenKind kind)
    {
        if (Current.Kind != kind) throw SyntaxError(_position);
        Next();
    }

    private void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End) throw SyntaxError(_position);
    }

    private string TextOf(Token token) => _text.Substring(token.Start, token.Length);

    private bool IsKeyword(string keyword) =>
        Current.Kind == TokenKind.Identifier && TextOf(Current).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Words the grammar itself uses, which can never be a name or a function.</summary>
    private bool IsLanguageKeyword(Token token)
    {
        var keywords = _kind switch
        {
            ExpressionKind.UpdateExpression => UpdateKeywords,
            ExpressionKind.ProjectionExpression => [],
            _ => ConditionKeywords,
        };
        var word = _text.AsSpan(token.Start, token.Length);
        foreach (var keyword in keywords)
            if (word.Equals(keyword, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static readonly string[] UpdateKeywords = ["SET", "REMOVE", "ADD", "DELETE"];
    private static readonly string[] ConditionKeywords = ["AND", "OR", "NOT", "BETWEEN", "IN"];

    private void CountOperator()
    {
        if (++_operators > MaxOperators)
            throw Error($"The expression contains too many operators; operator count: {_operators}");
    }

    private DynamoException Error(string message) => DynamoErrors.InvalidExpression(_kind.ToString(), message);

    private DynamoException TooDeep() => Error($"Parentheses are nested deeper than {MaxParenthesesDepth} levels");

    /// <summary>DynamoDB's syntax error: the offending token, and the text from the token before it to the token after it.</summary>
    private DynamoException SyntaxError(int index)
    {
        var token = _tokens[index];
        var text = token.Kind == TokenKind.End ? "<EOF>" : TextOf(token);
        var start = index > 0 ? _tokens[index - 1].Start : token.Start;
        var end = index + 1 < _tokens.Count ? _tokens[index + 1].End : token.End;
        return Error($"Syntax error; token: \"{text}\", near: \"{_text[start..end]}\"");
    }
}
