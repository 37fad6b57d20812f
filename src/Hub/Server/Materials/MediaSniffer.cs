namespace OneThing.Hub.Materials;

/// <summary>The kinds of file the hub accepts as materials.</summary>
public enum MaterialKind
{
    /// <summary>Not one of the accepted kinds.</summary>
    Unknown = 0,

    /// <summary>A JPEG picture.</summary>
    Jpeg = 1,

    /// <summary>A PNG picture.</summary>
    Png = 2,

    /// <summary>A PDF document.</summary>
    Pdf = 3,

    /// <summary>An OFD document (GB/T 33190, a ZIP container), China's fixed-layout format for e-documents.</summary>
    Ofd = 4,
}

/// <summary>
/// Tells a file's kind by its first bytes (magic numbers), and what a file name or a declared media
/// type claims. Pure. The content decides; a name or a declared type only has to agree with it.
/// </summary>
public static class MediaSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs at most.</summary>
    public const int HeadLength = 8;

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    private static ReadOnlySpan<byte> ZipMagic => [0x50, 0x4B, 0x03, 0x04];

    /// <summary>The kind the content's first bytes show (up to <see cref="HeadLength"/> of them).</summary>
    public static MaterialKind Detect(ReadOnlySpan<byte> head) =>
        head.StartsWith(JpegMagic) ? MaterialKind.Jpeg
        : head.StartsWith(PngMagic) ? MaterialKind.Png
        : head.StartsWith(PdfMagic) ? MaterialKind.Pdf
        : head.StartsWith(ZipMagic) ? MaterialKind.Ofd
        : MaterialKind.Unknown;

    /// <summary>The kind a file name's extension claims (case-insensitive); Unknown without one.</summary>
    public static MaterialKind FromFileName(string fileName) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" or ".jpe" => MaterialKind.Jpeg,
            ".png" => MaterialKind.Png,
            ".pdf" => MaterialKind.Pdf,
            ".ofd" => MaterialKind.Ofd,
            _ => MaterialKind.Unknown,
        };

    /// <summary>The kind a declared media type claims (parameters ignored); Unknown if not accepted.</summary>
    public static MaterialKind FromMediaType(string mediaType) =>
        mediaType.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "image/jpeg" or "image/jpg" or "image/pjpeg" => MaterialKind.Jpeg,
            "image/png" => MaterialKind.Png,
            "application/pdf" => MaterialKind.Pdf,
            "application/ofd" => MaterialKind.Ofd,
            _ => MaterialKind.Unknown,
        };

    /// <summary>The canonical media type of a kind.</summary>
    public static string MediaType(MaterialKind kind) => kind switch
    {
        MaterialKind.Jpeg => "image/jpeg",
        MaterialKind.Png => "image/png",
        MaterialKind.Pdf => "application/pdf",
        MaterialKind.Ofd => "application/ofd",
        _ => "application/octet-stream",
    };

    /// <summary>What a citizen calls the kind.</summary>
    public static string Label(MaterialKind kind) => kind switch
    {
        MaterialKind.Jpeg => "JPEG图片",
        MaterialKind.Png => "PNG图片",
        MaterialKind.Pdf => "PDF文件",
        MaterialKind.Ofd => "OFD文件",
        _ => "未知类型",
    };

    /// <summary>Whether the kind is a picture (its header holds its pixel dimensions).</summary>
    public static bool IsImage(MaterialKind kind) => kind is MaterialKind.Jpeg or MaterialKind.Png;
}
