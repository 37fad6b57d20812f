namespace OneThing.Hub.Persistence;

/// <summary>
/// An uploaded material's description; its bytes are in the material store under <see cref="Sha256"/>.
/// The id is derived from (theme, code, content), so the same upload always yields the same row.
/// </summary>
public sealed class MaterialRecord
{
    /// <summary>The id, 32 lowercase hex characters ("materials/{id}").</summary>
    public required string Id { get; set; }

    /// <summary>The theme it was uploaded for.</summary>
    public required string ThemeCode { get; set; }

    /// <summary>The catalog material code.</summary>
    public required string Code { get; set; }

    /// <summary>The file name as given at upload.</summary>
    public required string FileName { get; set; }

    /// <summary>The media type detected from the content.</summary>
    public required string MediaType { get; set; }

    /// <summary>The size in bytes.</summary>
    public long SizeBytes { get; set; }

    /// <summary>The content's SHA-256, lowercase hex: its address in the store.</summary>
    public required string Sha256 { get; set; }

    /// <summary>For a picture: its width in pixels.</summary>
    public int? WidthPx { get; set; }

    /// <summary>For a picture: its height in pixels.</summary>
    public int? HeightPx { get; set; }

    /// <summary>When it was first uploaded.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
