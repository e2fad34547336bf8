namespace OrleansDynamo.Expressions;

internal enum TokenKind
{
    Identifier, NamePlaceholder, ValuePlaceholder, Number,
    LeftParen, RightParen, LeftBracket, RightBracket, Dot, Comma,
    Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual, Plus, Minus,
    Unknown, End,
}

/// <summary>One token: its kind and where it sits in the expression text.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>Splits an expression into tokens. Never fails: characters it does not know become
/// <see cref="TokenKind.Unknown"/> tokens, which the parser reports as DynamoDB's syntax error.</summary>
internal static class Tokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(text.Length / 2 + 2);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n') { i++; continue; }
            var start = i;
            TokenKind kind;
            if (IsIdentifierStart(c))
            {
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                kind = TokenKind.Identifier;
            }
            else if (c is >= '0' and <= '9')
            {
                while (i < text.Length && text[i] is >= '0' and <= '9') i++;
                kind = TokenKind.Number;
            }
            else if (c is '#' or ':')
            {
                i++;
                while (i < text.Length && IsIdentifierPart(text[i])) i++;
                kind = i - start == 1 ? TokenKind.Unknown : c == '#' ? TokenKind.NamePlaceholder : TokenKind.ValuePlaceholder;
            }
            else
            {
                i++;
                kind = c switch
                {
                    '(' => TokenKind.LeftParen,
                    ')' => TokenKind.RightParen,
                    '[' => TokenKind.LeftBracket,
                    ']' => TokenKind.RightBracket,
                    '.' => TokenKind.Dot,
                    ',' => TokenKind.Comma,
                    '=' => TokenKind.Equal,
                    '+' => TokenKind.Plus,
                    '-' => TokenKind.Minus,
                    '<' when Peek(text, i) == '>' => Advance(ref i, TokenKind.NotEqual),
                    '<' when Peek(text, i) == '=' => Advance(ref i, TokenKind.LessOrEqual),
                    '<' => TokenKind.Less,
                    '>' when Peek(text, i) == '=' => Advance(ref i, TokenKind.GreaterOrEqual),
                    '>' => TokenKind.Greater,
                    _ => TokenKind.Unknown,
                };
                // Keep a surrogate pair together so the error message shows the whole character.
                if (kind == TokenKind.Unknown && char.IsHighSurrogate(c) && i < text.Length && char.IsLowSurrogate(text[i])) i++;
            }
            tokens.Add(new Token(kind, start, i - start));
        }
        tokens.Add(new Token(TokenKind.End, text.Length, 0));
        return tokens;
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static TokenKind Advance(ref int i, TokenKind kind)
    {
        i++;
        return kind;
    }

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';
    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9';
}
