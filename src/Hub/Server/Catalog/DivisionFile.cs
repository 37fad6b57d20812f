using System.IO.Compression;
using System.Text;
using OneThing.Hub.Domain.Divisions;

namespace OneThing.Hub.Catalog;

/// <summary>
/// Reads the administrative-division data file: a gzip of a UTF-8 TSV whose header names the
/// tab-separated columns <c>code</c>, <c>name</c>, <c>parent_code</c>, with one row per province, city, county and street
/// (see <c>catalog/divisions/SOURCE.md</c> for its origin and how to regenerate it).
/// </summary>
public static class DivisionFile
{
    /// <summary>Where the file lies inside the catalog directory.</summary>
    public const string PathInCatalog = "divisions/divisions.tsv.gz";

    private const string Header = "code\tname\tparent_code";

    /// <summary>Loads and checks the whole file.</summary>
    /// <param name="path">The <c>.tsv.gz</c> file.</param>
    /// <exception cref="CatalogException">
    /// The file is missing, is not gzip, or a line is malformed or does not fit the division tree; the
    /// exception names the file and the line.
    /// </exception>
    public static AdministrativeDivisions Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CatalogException(path, "", "the division file does not exist");
        }

        var rows = new List<DivisionRow>(capacity: 50_000);
        var lineNumbers = new List<int>(capacity: 50_000);
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
            var lineNumber = 1;
            if (reader.ReadLine() != Header)
            {
                throw new CatalogException(path, "line 1", $"the header must be '{Header.Replace("\t", "<TAB>", StringComparison.Ordinal)}'");
            }

            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                var fields = line.Split('\t');
                if (fields.Length != 3)
                {
                    throw new CatalogException(path, $"line {lineNumber}", $"expected 3 tab-separated fields (code, name, parent_code), found {fields.Length}");
                }

                rows.Add(new DivisionRow(fields[0], fields[1], fields[2]));
                lineNumbers.Add(lineNumber);
            }
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            throw new CatalogException(path, "", $"not a gzip-compressed UTF-8 text file: {e.Message}");
        }

        if (rows.Count == 0)
        {
            throw new CatalogException(path, "line 2", "the file has no divisions");
        }

        try
        {
            return new AdministrativeDivisions(rows);
        }
        catch (InvalidDivisionDataException e)
        {
            throw new CatalogException(path, $"line {lineNumbers[e.RowIndex]}", e.Problem);
        }
    }
}
