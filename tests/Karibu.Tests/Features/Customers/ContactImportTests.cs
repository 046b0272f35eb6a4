using System.Text;
using Karibu.Features.Customers;

namespace Karibu.Tests.Features.Customers;

/// <summary>Reading contact lists (CSV and vCard) the way owners have them, without a database.</summary>
public sealed class ContactImportTests
{
    private static ImportFile Mx(string text) => ContactImport.Parse(text, "MX");

    private static ImportFile Ke(string text) => ContactImport.Parse(text, "KE");

    [Fact]
    public void Csv_WithHeader_ReadsNamePhoneEmailNotesAndTags()
    {
        var file = Mx("nombre,teléfono,correo,notas,etiquetas\nAna López,55 1234 5678,ana@example.com,Le gusta temprano,\"vip, color\"\n");

        var row = Assert.Single(file.Rows);
        Assert.Equal(ImportFormat.Csv, file.Format);
        Assert.Equal((2, "Ana López", "+525512345678", "ana@example.com", "Le gusta temprano"), (row.Number, row.Name, row.Phone, row.Email, row.Notes));
        Assert.Equal(["vip", "color"], row.Tags);
        Assert.True(row.IsGood);
    }

    [Fact]
    public void Csv_WithoutHeader_FindsThePhoneColumnWhereverItIs()
    {
        var file = Mx("55 1234 5678;Ana\n33 1000 0002;Beto\n");

        Assert.Equal([("Ana", "+525512345678", 1), ("Beto", "+523310000002", 2)], file.Rows.Select(r => (r.Name!, r.Phone!, r.Number)));
    }

    [Fact]
    public void Csv_Semicolons_AsExcelInSpanishSavesThem()
    {
        var file = Mx("Nombre;Celular;Notas\n\"López; Ana\";5512345678;\"dice \"\"hola\"\"\"\n");

        var row = Assert.Single(file.Rows);
        Assert.Equal(("López; Ana", "+525512345678", "dice \"hola\""), (row.Name, row.Phone, row.Notes));
    }

    [Fact]
    public void Csv_QuotedCells_MaySpanLines_AndRowNumbersFollowTheSpreadsheet()
    {
        var file = Mx("name,phone,notes\r\nAna,5512345678,\"first line\r\nsecond line\"\r\nBeto,,x\r\n");

        Assert.Equal("first line\r\nsecond line", file.Rows[0].Notes);
        Assert.Equal(2, file.Rows[0].Number);
        Assert.Equal(4, file.Rows[1].Number);
        Assert.Equal(ImportSkip.NoPhone, file.Rows[1].Skip);
    }

    [Fact]
    public void Csv_Utf8Bom_IsNotPartOfTheFirstHeader()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Nombre,Teléfono\nÁngeles,5512345678\n")).ToArray();

        var row = Assert.Single(Mx(ContactImport.Decode(bytes)).Rows);

        Assert.Equal(("Ángeles", "+525512345678"), (row.Name, row.Phone));
    }

    [Fact]
    public void Decode_Utf8WithoutBom_Utf16AndLatin1()
    {
        Assert.Equal("Peña", ContactImport.Decode(Encoding.UTF8.GetBytes("Peña")));
        Assert.Equal("Peña", ContactImport.Decode([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Peña")]));
        Assert.Equal("Peña", ContactImport.Decode(Encoding.Latin1.GetBytes("Peña")));
    }

    [Fact]
    public void Csv_MissingPhone_IsSkipped_AndTheRestIsKept()
    {
        var file = Mx("name,phone\nAna,\nBeto,5512345678\n");

        Assert.Equal([ImportSkip.NoPhone, ImportSkip.None], file.Rows.Select(r => r.Skip));
    }

    [Fact]
    public void Csv_InvalidPhone_IsSkipped_WithWhatWasWritten()
    {
        var row = Assert.Single(Mx("name,phone\nAna,12345\n").Rows);

        Assert.Equal((ImportSkip.InvalidPhone, "12345"), (row.Skip, row.RawPhone));
        Assert.Null(row.Phone);
    }

    [Fact]
    public void Csv_DuplicatePhones_InAnotherFormat_AreSkipped_PointingToTheFirstRow()
    {
        var file = Mx("name,phone\nAna,55 1234 5678\nAna L,+52 1 55 1234 5678\nAna 3,(55) 1234-5678\n");

        Assert.Equal([ImportSkip.None, ImportSkip.DuplicateInFile, ImportSkip.DuplicateInFile], file.Rows.Select(r => r.Skip));
        Assert.Equal(2, file.Rows[1].SameAs);
        Assert.Single(file.Good);
    }

    [Fact]
    public void Csv_TooLongName_IsSkipped()
    {
        var row = Assert.Single(Mx($"name,phone\n{new string('a', 201)},5512345678\n").Rows);

        Assert.Equal(ImportSkip.NameTooLong, row.Skip);
    }

    [Fact]
    public void Csv_TooManyTags_AreSkipped_ButAnInvalidEmailOnlyDropsTheEmail()
    {
        var tags = string.Join('|', Enumerable.Range(1, 21).Select(i => $"t{i}"));
        var file = Mx($"name,phone,email,tags\nAna,5512345678,no-es-correo,\nBeto,5512345679,,{tags}\n");

        Assert.True(file.Rows[0].IsGood);
        Assert.True(file.Rows[0].EmailDropped);
        Assert.Null(file.Rows[0].Email);
        Assert.Equal(ImportSkip.TooManyTags, file.Rows[1].Skip);
    }

    [Fact]
    public void Csv_KenyanNumbers_InEveryCommonForm()
    {
        var file = Ke("jina,simu\nNjeri,0712 345 678\nWanjiku,+254 722 000 111\nOtieno,254733000222\nAchieng,0110 000 333\n");

        Assert.Equal(["+254712345678", "+254722000111", "+254733000222", "+254110000333"], file.Rows.Select(r => r.Phone));
    }

    [Fact]
    public void Csv_MexicanNumbers_WithOldPrefixesAndWhatsAppIds()
    {
        var file = Mx("name,phone\nA,044 55 1234 5678\nB,521 33 1000 0002\nC,01 81 1000 0003\nD,+52 (55) 9000-0004\n");

        Assert.Equal(["+525512345678", "+523310000002", "+528110000003", "+525590000004"], file.Rows.Select(r => r.Phone));
    }

    [Fact]
    public void Csv_ExcelFormulaQuotes_KeepTheLeadingZero()
    {
        var row = Assert.Single(Ke("Name,Phone\nNjeri,\"=\"\"0712345678\"\"\"\n").Rows);

        Assert.Equal("+254712345678", row.Phone);
    }

    [Fact]
    public void Csv_GoogleContactsExport_JoinsNamesAndPrefersTheMobile()
    {
        var file = Mx("First Name,Last Name,Phone 1 - Type,Phone 1 - Value,Mobile Phone,E-mail 1 - Value\n"
            + "Ana,López,Work,55 1111 2222,55 3333 4444,ana@example.com\n");

        var row = Assert.Single(file.Rows);
        Assert.Equal(("Ana López", "+525533334444", "ana@example.com"), (row.Name, row.Phone, row.Email));
    }

    [Fact]
    public void Csv_SeveralNumbersInOneCell_TakesTheFirstThatReads()
    {
        var row = Assert.Single(Mx("Name,Phone 1 - Value\nAna,abc ::: 55 1234 5678\n").Rows);

        Assert.Equal("+525512345678", row.Phone);
    }

    [Fact]
    public void Csv_BlankLinesAndTabs_AreFine()
    {
        var file = Mx("name\tphone\n\nAna\t5512345678\n\n");

        Assert.Equal("+525512345678", Assert.Single(file.Rows).Phone);
    }

    [Fact]
    public void Empty_HasNoRows()
    {
        Assert.Empty(Mx("").Rows);
        Assert.Empty(Mx("\n\n").Rows);
    }

    [Fact]
    public void VCard3_FnAndSeveralTel_PrefersTheCell()
    {
        var file = Mx("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana López\r\nTEL;TYPE=WORK,VOICE:55 1111 2222\r\nTEL;TYPE=CELL:55 3333 4444\r\nEMAIL;TYPE=INTERNET:ana@example.com\r\nEND:VCARD\r\n");

        var row = Assert.Single(file.Rows);
        Assert.Equal(ImportFormat.VCard, file.Format);
        Assert.Equal(("Ana López", "+525533334444", "ana@example.com", 1), (row.Name, row.Phone, row.Email, row.Number));
    }

    [Fact]
    public void VCard4_WithoutFn_UsesN_AndTelUris()
    {
        var row = Assert.Single(Ke("BEGIN:VCARD\nVERSION:4.0\nN:Wambui;Njeri;;;\nTEL;VALUE=uri;TYPE=\"cell,voice\":tel:+254-712-345-678\nEND:VCARD\n").Rows);

        Assert.Equal(("Njeri Wambui", "+254712345678"), (row.Name, row.Phone));
    }

    [Fact]
    public void VCard_FoldedLines_AreJoined()
    {
        var row = Assert.Single(Mx("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:María de los Ángeles\r\n  Hernández\r\nNOTE:Prefiere los sába\r\n\tdos\r\nTEL:5512345678\r\nEND:VCARD\r\n").Rows);

        Assert.Equal(("María de los Ángeles Hernández", "Prefiere los sábados"), (row.Name, row.Notes));
    }

    [Fact]
    public void VCard21_QuotedPrintableNames_FromAndroidExports()
    {
        var row = Assert.Single(Mx("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:L=C3=B3pez;Ana;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Ana L=C3=B3=\r\npez\r\nTEL;CELL:55-1234-5678\r\nEND:VCARD\r\n").Rows);

        Assert.Equal(("Ana López", "+525512345678"), (row.Name, row.Phone));
    }

    [Fact]
    public void VCard_SeveralCards_MissingPhoneAndDuplicates_AreNumberedByCard()
    {
        var file = Mx("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL:5512345678\nEND:VCARD\n"
            + "BEGIN:VCARD\nVERSION:3.0\nFN:Sin Teléfono\nEND:VCARD\n"
            + "BEGIN:VCARD\nVERSION:3.0\nitem1.TEL:+52 55 1234 5678\nFN:Ana otra vez\nCATEGORIES:vip,barba\nEND:VCARD\n");

        Assert.Equal([1, 2, 3], file.Rows.Select(r => r.Number));
        Assert.Equal([ImportSkip.None, ImportSkip.NoPhone, ImportSkip.DuplicateInFile], file.Rows.Select(r => r.Skip));
        Assert.Equal(1, file.Rows[2].SameAs);
        Assert.Equal(["vip", "barba"], file.Rows[2].Tags);
    }

    [Fact]
    public void VCard_EscapedCommasAndTheContactPickerPayload()
    {
        // What app.js builds from navigator.contacts.select(): one FN and every TEL of each contact.
        var file = Ke("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Kamau\\, John\r\nTEL:0712 345 678\r\nTEL:+254 722 000 111\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:\r\nTEL:0733 000 222\r\nEND:VCARD\r\n");

        Assert.Equal([("Kamau, John", "+254712345678"), (null, "+254733000222")], file.Rows.Select(r => (r.Name, r.Phone)));
    }

    [Fact]
    public void TooManyRows_AreCut_AndSaid()
    {
        var text = "name,phone\n" + string.Concat(Enumerable.Range(0, ContactImport.MaxRows + 5).Select(i => $"C{i},55{i:00000000}\n"));

        var file = Mx(text);

        Assert.True(file.TooManyRows);
        Assert.Equal(ContactImport.MaxRows, file.Rows.Count);
    }
}
