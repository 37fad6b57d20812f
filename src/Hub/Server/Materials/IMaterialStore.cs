namespace OneThing.Hub.Materials;

/// <summary>
/// Where materials' bytes live, addressed by their content (SHA-256): the same bytes are stored once
/// however often they are uploaded. The metadata lives in the database (<see cref="Persistence.MaterialRecord"/>).
/// </summary>
public interface IMaterialStore
{
    /// <summary>
    /// Reads <paramref name="content"/> to its end and stores it durably under its SHA-256, streaming
    /// (never holding the whole content). An exception from <paramref name="content"/> (a limit, a
    /// wrong type) or a checksum other than <paramref name="expectedSha256"/> leaves nothing behind.
    /// </summary>
    /// <param name="content">The bytes; the store reads it once, in order.</param>
    /// <param name="expectedSha256">The checksum the caller expects (lowercase hex), or null.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
    /// <exception cref="MaterialChecksumMismatchException">The content's checksum is not the expected one.</exception>
    Task<StoredContent> PutAsync(Stream content, string? expectedSha256, CancellationToken cancellationToken);

    /// <summary>Opens stored content for reading.</summary>
    /// <exception cref="FileNotFoundException">No content has this checksum.</exception>
    Stream OpenRead(string sha256);

    /// <summary>Whether content with this checksum is stored.</summary>
    bool Exists(string sha256);
}

/// <summary>Stored content.</summary>
/// <param name="Sha256">Its SHA-256, lowercase hex; its address.</param>
/// <param name="SizeBytes">Its size.</param>
public sealed record StoredContent(string Sha256, long SizeBytes);

/// <summary>The content's SHA-256 differs from the one the caller declared.</summary>
public sealed class MaterialChecksumMismatchException(string expected, string actual)
    : Exception($"the content's sha256 is {actual}, not the expected {expected}")
{
    /// <summary>The checksum the caller declared.</summary>
    public string Expected { get; } = expected;

    /// <summary>The content's checksum.</summary>
    public string Actual { get; } = actual;
}
