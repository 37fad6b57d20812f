using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace OneThing.Hub.Materials;

/// <summary>
/// Stores materials as files under <see cref="MaterialOptions.Root"/>, at <c>ab/cd/abcd….bin</c> by
/// SHA-256. A write goes to a temporary file in the same directory tree, is flushed to disk, and is
/// then renamed into place: a crash leaves either the whole file or none, never half of one at its
/// final name. Several hub replicas may share the directory (a network file system).
/// </summary>
public sealed class FileSystemMaterialStore : IMaterialStore
{
    /// <summary>The copy buffer: the most of an upload held in memory at once by the store.</summary>
    public const int BufferSize = 64 * 1024;

    private readonly string _root;
    private readonly string _temp;
    private readonly MaterialUploadStatistics _statistics;

    /// <summary>Creates the store on the configured root (created when missing).</summary>
    public FileSystemMaterialStore(IOptions<MaterialOptions> options, MaterialUploadStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _root = Path.GetFullPath(options.Value.Root);
        _temp = Path.Combine(_root, "tmp");
        _statistics = statistics;
        Directory.CreateDirectory(_temp);
    }

    /// <summary>The root directory.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public async Task<StoredContent> PutAsync(Stream content, string? expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temp = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".part");
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var committed = false;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    _statistics.ObserveBuffered(read);
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.IsNullOrEmpty(expectedSha256) && !string.Equals(expectedSha256, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new MaterialChecksumMismatchException(expectedSha256.ToLowerInvariant(), sha256);
            }

            var final = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            if (!File.Exists(final))
            {
                // Same bytes, same name: a concurrent writer of the same content may win the rename;
                // overwriting is then harmless, and the rename is atomic on one file system.
                File.Move(temp, final, overwrite: true);
                committed = true;
            }

            return new StoredContent(sha256, size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (!committed)
            {
                TryDelete(temp);
            }
        }
    }

    /// <inheritdoc />
    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <inheritdoc />
    public bool Exists(string sha256) => IsSha256(sha256) && File.Exists(PathOf(sha256));

    /// <summary>The file of a checksum.</summary>
    public string PathOf(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ArgumentException("not a lowercase hex sha256", nameof(sha256));
        }

        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256 + ".bin");
    }

    /// <summary>How many unfinished writes' temporary files exist (zero when nothing is being uploaded).</summary>
    public int PendingWrites => Directory.Exists(_temp) ? Directory.GetFiles(_temp, "*.part").Length : 0;

    private static bool IsSha256(string value) => value.Length == 64 && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A temporary file left by a failed write is swept with the tmp folder; it is never read.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
