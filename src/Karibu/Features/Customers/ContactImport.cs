using System.Globalization;
using System.Text;
using Karibu.Common;
using Karibu.Data;

namespace Karibu.Features.Customers;

internal enum ImportFormat { Csv, VCard }

/// <summary>Why a row of an import is left out.</summary>
internal enum ImportSkip { None, NoPhone, InvalidPhone, DuplicateInFile, NameTooLong, NotesTooLong, TooManyTags }

/// <summary>
/// One contact read from the file: its row (CSV: the spreadsheet row, header included; vCard: the card's place in
/// the file), what it said, and the phone in E.164 when it reads as one. <see cref="Skip"/> says why it is left out.
/// </summary>
internal sealed record ImportRow(int Number, string? Name, string? RawPhone, string? Phone, string? Email, string? Notes, IReadOnlyList<string> Tags)
{
    public ImportSkip Skip { get; init; }

    /// <summary>For <see cref="ImportSkip.DuplicateInFile"/>: the row that has the phone first.</summary>
    public int? SameAs { get; init; }

    /// <summary>An email that is not one was left out (the rest of the row is kept).</summary>
    public bool EmailDropped { get; init; }

    public bool IsGood => Skip == ImportSkip.None;
}

internal sealed record ImportFile(ImportFormat Format, IReadOnlyList<ImportRow> Rows, bool TooManyRows)
{
    public IEnumerable<ImportRow> Good => Rows.Where(r => r.IsGood);
}

/// <summary>
/// Reads a contact list as people have it: a CSV saved by Excel, Google Contacts or a phone (comma, semicolon or tab
/// separated; UTF-8 with or without BOM, UTF-16, or Windows' Latin-1; quoted cells with "" inside; a header row or
/// not), or vCards exported by a phone (2.1 with quoted-printable names, 3.0, 4.0; FN or N; several TEL; folded
/// lines). Phones are read with <see cref="PhoneNumbers"/> in the business's country. Pure: no database, no clock.
/// </summary>
internal static class ContactImport
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxRows = 5000;

    /// <summary>The file's text, whatever encoding a phone or Excel saved it in.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8.GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode.GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // Excel on Windows saves "CSV" in the system's code page; Latin-1 reads its accents (á, é, ñ) right.
            return Encoding.Latin1.GetString(bytes);
        }
    }

    public static ImportFile Parse(string text, string? countryCode)
    {
        text = text.TrimStart('\uFEFF');
        var vcard = text.TrimStart().StartsWith("BEGIN:VCARD", StringComparison.OrdinalIgnoreCase);
        var (raw, tooMany) = vcard ? ReadVCards(text) : ReadCsv(text);
        return new ImportFile(vcard ? ImportFormat.VCard : ImportFormat.Csv, Check(raw, countryCode), tooMany);
    }

    private sealed record RawContact(int Number, string? Name, List<(string Value, bool Mobile)> Phones, string? Email, string? Notes, List<string> Tags);

    private static List<ImportRow> Check(List<RawContact> contacts, string? countryCode)
    {
        var rows = new List<ImportRow>(contacts.Count);
        var firstRowOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in contacts)
        {
            var name = OneLine(c.Name);
            var notes = Clean(c.Notes);
            // A mobile first: it is the one that has WhatsApp. Otherwise the first number that reads as a phone.
            var candidates = c.Phones.Where(p => !string.IsNullOrWhiteSpace(p.Value)).OrderBy(p => p.Mobile ? 0 : 1).ToList();
            string? e164 = null;
            var rawPhone = candidates.FirstOrDefault().Value?.Trim();
            foreach (var (value, _) in candidates)
            {
                if (PhoneNumbers.TryNormalize(Excel(value), countryCode, out var normalized, out _))
                {
                    (e164, rawPhone) = (normalized, value.Trim());
                    break;
                }
            }

            var tags = c.Tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var email = Clean(c.Email);
            var v = new Validation();
            var checkedEmail = email is null ? null : CustomerEndpoints.CheckEmail(v, email);
            var row = new ImportRow(c.Number, name, rawPhone, e164, v.IsValid ? checkedEmail : null, notes, tags) { EmailDropped = !v.IsValid };
            var skip = candidates.Count == 0 ? ImportSkip.NoPhone
                : e164 is null ? ImportSkip.InvalidPhone
                : name is { Length: > Limits.Name } ? ImportSkip.NameTooLong
                : notes is { Length: > Limits.Text } ? ImportSkip.NotesTooLong
                : tags.Count > CustomerEndpoints.MaxTags || tags.Any(t => t.Length > CustomerEndpoints.MaxTagLength) ? ImportSkip.TooManyTags
                : ImportSkip.None;
            if (skip == ImportSkip.None && e164 is not null)
            {
                if (firstRowOf.TryGetValue(e164, out var first))
                {
                    rows.Add(row with { Skip = ImportSkip.DuplicateInFile, SameAs = first });
                    continue;
                }

                firstRowOf[e164] = c.Number;
            }

            rows.Add(row with { Skip = skip });
        }

        return rows;
    }

    private static string? Clean(string? value) => value?.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    /// <summary>A name on one line, one space between words.</summary>
    private static string? OneLine(string? value) =>
        Clean(value) is { } name ? string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) : null;

    /// <summary>Excel's way of keeping a leading zero: <c>="0712345678"</c>.</summary>
    private static string Excel(string value)
    {
        var v = value.Trim();
        return v.Length >= 3 && v.StartsWith("=\"", StringComparison.Ordinal) && v.EndsWith('"') ? v[2..^1] : v;
    }

    // ---- CSV ----

    private enum Column { Ignore, Name, First, Last, Phone, Mobile, Email, Notes, Tags }

    private static (List<RawContact>, bool) ReadCsv(string text)
    {
        var delimiter = Delimiter(text);
        var records = Records(text, delimiter).Where(r => r.Cells.Any(c => c.Trim().Length > 0)).ToList();
        if (records.Count == 0)
        {
            return ([], false);
        }

        var header = records[0].Cells.Select(HeaderColumn).ToList();
        var hasHeader = header.Any(h => h != Column.Ignore) && !records[0].Cells.Any(LooksLikePhone);
        var columns = hasHeader ? header : Guess(records);
        var body = hasHeader ? records.Skip(1) : records;
        var contacts = new List<RawContact>();
        foreach (var (line, cells) in body)
        {
            if (contacts.Count == MaxRows)
            {
                return (contacts, true);
            }

            string? Cell(Column kind) => string.Join(' ', Enumerable.Range(0, Math.Min(cells.Count, columns.Count))
                .Where(i => columns[i] == kind && cells[i].Trim().Length > 0).Select(i => cells[i].Trim())) is { Length: > 0 } s ? s : null;
            var phones = Enumerable.Range(0, Math.Min(cells.Count, columns.Count))
                .Where(i => columns[i] is Column.Phone or Column.Mobile)
                .SelectMany(i => cells[i].Split(":::", StringSplitOptions.TrimEntries).Select(p => (p, columns[i] == Column.Mobile)))
                .ToList();
            var name = Cell(Column.Name) ?? (string.Join(' ', new[] { Cell(Column.First), Cell(Column.Last) }.Where(x => x is not null)) is { Length: > 0 } full ? full : null);
            var tags = Cell(Column.Tags)?.Split([',', ';', '|', '#'], StringSplitOptions.TrimEntries).ToList() ?? [];
            contacts.Add(new RawContact(line, name, phones, Cell(Column.Email), Cell(Column.Notes), tags));
        }

        return (contacts, false);
    }

    /// <summary>The separator of the first line: whichever of , ; and tab appears most outside quotes (a comma when none).</summary>
    private static char Delimiter(string text)
    {
        int commas = 0, semicolons = 0, tabs = 0;
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\n' or '\r')
            {
                break;
            }
            else if (!quoted)
            {
                commas += c == ',' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
            }
        }

        return tabs > commas && tabs > semicolons ? '\t' : semicolons > commas ? ';' : ',';
    }

    /// <summary>RFC 4180 records with the line each starts on: "" is a quote inside quotes, and quoted cells may span lines.</summary>
    private static IEnumerable<(int Line, List<string> Cells)> Records(string text, char delimiter)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i += 2;
                    continue;
                }

                if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    cell.Append(c);
                }

                i++;
                continue;
            }

            if (c == '"' && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                quoted = true;
            }
            else if (c == delimiter)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                cells.Add(cell.ToString());
                cell.Clear();
                yield return (start, cells);
                cells = [];
                line++;
                start = line;
            }
            else
            {
                cell.Append(c);
            }

            i++;
        }

        if (cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            yield return (start, cells);
        }
    }

    private static Column HeaderColumn(string cell)
    {
        var h = Fold(cell);
        if (h.Length == 0)
        {
            return Column.Ignore;
        }

        string[] words = h.Split(' ');
        bool Has(params string[] any) => any.Any(a => a.Contains(' ', StringComparison.Ordinal) ? h.Contains(a, StringComparison.Ordinal) : words.Contains(a));
        if (Has("type", "tipo", "label", "etiqueta de telefono", "aina"))
        {
            return Column.Ignore;
        }

        if (Has("email", "e mail", "correo", "mail", "barua pepe"))
        {
            return Column.Email;
        }

        if (Has("mobile", "movil", "celular", "cel", "cell", "whatsapp", "simu ya mkononi"))
        {
            return Column.Mobile;
        }

        if (Has("phone", "telefono", "tel", "telephone", "numero", "number", "simu", "namba", "nambari"))
        {
            return Column.Phone;
        }

        if (Has("notes", "note", "notas", "nota", "comentarios", "comentario", "observaciones", "maelezo", "maoni"))
        {
            return Column.Notes;
        }

        if (Has("tags", "tag", "etiquetas", "etiqueta", "lebo", "vitambulisho"))
        {
            return Column.Tags;
        }

        if (Has("first name", "given name", "nombres", "primer nombre", "jina la kwanza"))
        {
            return Column.First;
        }

        if (Has("last name", "family name", "surname", "apellido", "apellidos", "jina la mwisho", "jina la ukoo"))
        {
            return Column.Last;
        }

        return Has("name", "nombre", "full name", "nombre completo", "jina", "cliente", "customer", "contacto", "contact", "mteja") ? Column.Name : Column.Ignore;
    }

    /// <summary>Without a header: the column that most often holds a phone, one with @ for email, and the first other one for the name.</summary>
    private static List<Column> Guess(List<(int Line, List<string> Cells)> records)
    {
        var width = records.Max(r => r.Cells.Count);
        var sample = records.Take(50).ToList();
        int Count(int i, Func<string, bool> test) => sample.Count(r => i < r.Cells.Count && test(r.Cells[i]));
        var columns = Enumerable.Repeat(Column.Ignore, width).ToList();
        var phone = Enumerable.Range(0, width).MaxBy(i => Count(i, LooksLikePhone));
        columns[phone] = Column.Phone;
        var email = Enumerable.Range(0, width).Where(i => i != phone).Select(i => (int?)i).FirstOrDefault(i => Count(i!.Value, c => c.Contains('@', StringComparison.Ordinal)) > 0);
        if (email is { } e)
        {
            columns[e] = Column.Email;
        }

        var name = Enumerable.Range(0, width).Select(i => (int?)i).FirstOrDefault(i => columns[i!.Value] == Column.Ignore && Count(i.Value, c => c.Trim().Length > 0) > 0);
        if (name is { } n)
        {
            columns[n] = Column.Name;
        }

        return columns;
    }

    private static bool LooksLikePhone(string cell)
    {
        var v = Excel(cell);
        return v.Count(char.IsAsciiDigit) >= 7 && v.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.' or '/');
    }

    /// <summary>Lower case, accents and punctuation gone, one space between words: "Teléfono (móvil)" → "telefono movil".</summary>
    private static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }

        return sb.ToString().Trim();
    }

    // ---- vCard ----

    private static (List<RawContact>, bool) ReadVCards(string text)
    {
        var contacts = new List<RawContact>();
        string? fn = null, n = null, email = null, note = null;
        List<(string, bool)> phones = [];
        List<string> tags = [];
        var inside = false;
        foreach (var line in Unfold(text))
        {
            var colon = ColonOutsideQuotes(line);
            if (colon < 0)
            {
                continue;
            }

            var head = line[..colon];
            var value = line[(colon + 1)..];
            var parts = head.Split(';');
            var property = parts[0];
            var dot = property.LastIndexOf('.');
            property = (dot >= 0 ? property[(dot + 1)..] : property).ToUpperInvariant();
            var parameters = parts.Skip(1).Select(p => p.ToUpperInvariant()).ToList();
            if (property == "BEGIN" && value.Trim().Equals("VCARD", StringComparison.OrdinalIgnoreCase))
            {
                (inside, fn, n, email, note, phones, tags) = (true, null, null, null, null, [], []);
                continue;
            }

            if (!inside)
            {
                continue;
            }

            if (property == "END")
            {
                inside = false;
                if (contacts.Count == MaxRows)
                {
                    return (contacts, true);
                }

                var name = fn ?? NameFromN(n);
                contacts.Add(new RawContact(contacts.Count + 1, name, phones, email, note, tags));
                continue;
            }

            if (parameters.Any(p => p is "ENCODING=QUOTED-PRINTABLE" or "QUOTED-PRINTABLE"))
            {
                value = QuotedPrintable(value, parameters);
            }

            switch (property)
            {
                case "FN":
                    fn = Unescape(value) is { Length: > 0 } full && full.Trim().Length > 0 ? full : fn;
                    break;
                case "N":
                    n = value;
                    break;
                case "TEL":
                    var types = string.Join(',', parameters);
                    phones.Add((Unescape(value), types.Contains("CELL", StringComparison.Ordinal) || types.Contains("MOBILE", StringComparison.Ordinal)));
                    break;
                case "EMAIL":
                    email ??= Unescape(value);
                    break;
                case "NOTE":
                    note = Unescape(value);
                    break;
                case "CATEGORIES":
                    tags.AddRange(SplitUnescaped(value, ',').Select(Unescape));
                    break;
            }
        }

        return (contacts, false);
    }

    /// <summary>
    /// Lines with folding undone: a line starting with a space or tab continues the one before (3.0/4.0), and in 2.1
    /// a quoted-printable value ending in "=" continues on the next line.
    /// </summary>
    private static List<string> Unfold(string text)
    {
        var lines = new List<string>();
        foreach (var physical in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n'))
        {
            if (lines.Count > 0 && physical.Length > 0 && physical[0] is ' ' or '\t')
            {
                lines[^1] += physical[1..];
            }
            else if (lines.Count > 0 && lines[^1].EndsWith('=') && lines[^1].Contains("QUOTED-PRINTABLE", StringComparison.OrdinalIgnoreCase))
            {
                lines[^1] = lines[^1][..^1] + physical;
            }
            else
            {
                lines.Add(physical);
            }
        }

        return lines;
    }

    private static int ColonOutsideQuotes(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == ':' && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>N is family;given;additional;prefixes;suffixes → "given additional family".</summary>
    private static string? NameFromN(string? n)
    {
        if (n is null)
        {
            return null;
        }

        var p = SplitUnescaped(n, ';').Select(Unescape).Select(x => x.Trim()).ToList();
        string At(int i) => i < p.Count ? p[i] : "";
        var name = string.Join(' ', new[] { At(3), At(1), At(2), At(0), At(4) }.Where(x => x.Length > 0));
        return name.Length > 0 ? name : null;
    }

    private static List<string> SplitUnescaped(string value, char separator)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
            }
            else if (value[i] == separator)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    private static string Unescape(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                sb.Append(value[i] is 'n' or 'N' ? '\n' : value[i]);
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    private static string QuotedPrintable(string value, List<string> parameters)
    {
        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '=' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        var charset = parameters.FirstOrDefault(p => p.StartsWith("CHARSET=", StringComparison.Ordinal))?[8..];
        return charset is "ISO-8859-1" or "WINDOWS-1252" ? Encoding.Latin1.GetString([.. bytes]) : Decode([.. bytes]);
    }
}
