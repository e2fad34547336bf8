using System.Text;
using OrleansDynamo.Errors;

namespace OrleansDynamo.Transfer;

/// <summary>
/// Splits CSV text into records as RFC 4180 has them: fields apart by a delimiter, records by CRLF, LF or CR, a
/// quoted field may hold delimiters, line breaks and doubled quotes. Fed in chunks, so a record may span them.
/// </summary>
/// <remarks>
/// A broken record (a stray quote, text after a closing quote, a quote never closed, too much text) still ends where
/// its line ends and comes back with its error, so that the records after it are read as usual.
/// Blank lines are not records.
/// </remarks>
internal sealed class CsvRecordParser(char delimiter, int maxRecordChars)
{
    /// <param name="Line">The 1-based line the record starts on.</param>
    public readonly record struct Record(string[] Fields, long Line, DynamoException? Error);

    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private bool _inQuotes;
    private bool _afterClosingQuote;
    private bool _fieldStarted;
    private bool _recordStarted;
    private bool _skipLineFeed;
    private int _recordChars;
    private DynamoException? _error;
    private long _line = 1;
    private long _recordLine = 1;

    /// <summary>The line being read: where a record that breaks off would be.</summary>
    public long Line => _line;

    public void Feed(ReadOnlySpan<char> text, List<Record> records)
    {
        foreach (var c in text)
        {
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (c == '\n') continue;
            }
            if (_inQuotes)
            {
                if (c == '"') { _inQuotes = false; _afterClosingQuote = true; }
                else { if (c == '\n') _line++; Append(c); }
                continue;
            }
            if (c == delimiter)
            {
                _recordStarted = true;
                EndField();
            }
            else if (c is '\n' or '\r')
            {
                _skipLineFeed = c == '\r';
                EndRecord(records);
                _recordLine = ++_line;
            }
            else if (_afterClosingQuote)
            {
                _afterClosingQuote = false;
                // A doubled quote is a quote in the value; anything else after the closing quote breaks the record.
                if (c == '"') { _inQuotes = true; Append('"'); }
                else { _error ??= DynamoErrors.ImportRecordUnparsable("text follows the closing quote of a CSV field"); Append(c); }
            }
            else if (c == '"' && !_fieldStarted)
            {
                _inQuotes = true;
                _fieldStarted = _recordStarted = true;
            }
            else
            {
                if (c == '"') _error ??= DynamoErrors.ImportRecordUnparsable("a quote inside an unquoted CSV field; quote the field and double the quote");
                Append(c);
            }
        }
    }

    /// <summary>Ends the text: the last record needs no line break after it.</summary>
    public void Finish(List<Record> records)
    {
        if (_inQuotes) _error ??= DynamoErrors.ImportRecordUnparsable("a quoted CSV field is not closed before the end of the object");
        if (_recordStarted || _error is not null) EndRecord(records);
    }

    private void Append(char c)
    {
        _fieldStarted = _recordStarted = true;
        if (++_recordChars > maxRecordChars)
        {
            _error ??= DynamoErrors.ItemTooLarge();
            return;
        }
        _field.Append(c);
    }

    private void EndField()
    {
        _fields.Add(_field.ToString());
        _field.Clear();
        _fieldStarted = _afterClosingQuote = false;
    }

    private void EndRecord(List<Record> records)
    {
        EndField();
        if (_recordStarted || _error is not null) records.Add(new Record([.. _fields], _recordLine, _error));
        _fields.Clear();
        _recordStarted = _inQuotes = false;
        _recordChars = 0;
        _error = null;
    }
}
