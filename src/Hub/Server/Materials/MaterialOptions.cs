namespace OneThing.Hub.Materials;

/// <summary>Where materials are stored and how large they may be (configuration section <c>Materials</c>).</summary>
public sealed class MaterialOptions
{
    /// <summary>The default size limit of one material: 20 MiB.</summary>
    public const long DefaultMaxBytes = 20L * 1024 * 1024;

    /// <summary>The largest chunk one upload message may carry: 64 KiB.</summary>
    public const int MaxChunkBytes = 64 * 1024;

    /// <summary>
    /// The directory of the stored files (<c>Materials:Root</c>). Defaults to <c>materials</c> beside the
    /// SQLite database file (e.g. <c>data/materials</c>), or <c>data/materials</c> on other providers.
    /// </summary>
    public string Root { get; set; } = Path.Combine("data", "materials");

    /// <summary>The size limit of any one material (<c>Materials:MaxBytes</c>); a photo rule may set a lower one.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    /// <summary>
    /// Whether validation and submission require every material a chosen item needs that the hub cannot
    /// fetch itself (<c>Materials:RequireUploads</c>). Attached materials are always checked.
    /// </summary>
    public bool RequireUploads { get; set; }

    /// <summary>Every problem with the options; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Root))
        {
            yield return "Materials:Root must name a directory";
        }

        if (MaxBytes <= 0)
        {
            yield return "Materials:MaxBytes must be positive";
        }
    }
}

/// <summary>
/// What uploads held and read, for operators and for tests that prove an upload is streamed: the
/// largest piece of an upload in memory at once, and how far the last refused upload was read.
/// </summary>
public sealed class MaterialUploadStatistics
{
    private long _largestBuffered;
    private long _lastRefusedBytesRead;
    private long _uploadsRefused;

    /// <summary>The most bytes of one upload held in memory at once (one chunk or one copy buffer).</summary>
    public long LargestBufferedBytes => Interlocked.Read(ref _largestBuffered);

    /// <summary>How many bytes of the last refused upload were read before it was refused.</summary>
    public long LastRefusedBytesRead => Interlocked.Read(ref _lastRefusedBytesRead);

    /// <summary>How many uploads were refused.</summary>
    public long UploadsRefused => Interlocked.Read(ref _uploadsRefused);

    /// <summary>Records a piece of an upload held in memory.</summary>
    public void ObserveBuffered(long bytes)
    {
        var seen = Interlocked.Read(ref _largestBuffered);
        while (bytes > seen)
        {
            var before = Interlocked.CompareExchange(ref _largestBuffered, bytes, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    /// <summary>Records a refused upload and how much of it was read.</summary>
    public void ObserveRefused(long bytesRead)
    {
        Interlocked.Exchange(ref _lastRefusedBytesRead, bytesRead);
        Interlocked.Increment(ref _uploadsRefused);
    }
}
