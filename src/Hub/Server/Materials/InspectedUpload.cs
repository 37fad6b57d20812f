using System.Globalization;
using OneThing.Hub.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;

namespace OneThing.Hub.Materials;

/// <summary>
/// A read-only stream over an upload that checks it while it passes, so a bad upload is refused as
/// early as its bytes allow and never read further: the type from the first bytes (whatever the name
/// says), the size limit the moment it is passed, a photo's dimensions as soon as its header shows
/// them, and at the end the photo's minimum size. Holds at most a few bytes of its own.
/// </summary>
public sealed class InspectedUpload : Stream
{
    private readonly Stream _source;
    private readonly UploadRules _rules;
    private readonly byte[] _head = new byte[MediaSniffer.HeadLength];
    private int _headCount;
    private ImageHeaderScanner? _scanner;
    private bool _ended;
    private bool _headerChecked;

    /// <summary>Wraps <paramref name="source"/> with the checks of <paramref name="rules"/>.</summary>
    public InspectedUpload(Stream source, UploadRules rules)
    {
        _source = source;
        _rules = rules;
    }

    /// <summary>The kind the content showed (Unknown until its first bytes were read).</summary>
    public MaterialKind Kind { get; private set; }

    /// <summary>How many bytes were read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The picture's dimensions, once its header was read.</summary>
    public (int Width, int Height)? Dimensions => _scanner is { Found: true } s ? (s.Width, s.Height) : null;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended)
        {
            return 0;
        }

        var read = await _source.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            _ended = true;
            End();
            return 0;
        }

        BytesRead += read;
        if (BytesRead > _rules.MaxBytes)
        {
            throw _rules.TooLarge(BytesRead);
        }

        Inspect(buffer.Span[..read]);
        return read;
    }

    private void Inspect(ReadOnlySpan<byte> chunk)
    {
        if (Kind == MaterialKind.Unknown)
        {
            var take = Math.Min(_head.Length - _headCount, chunk.Length);
            chunk[..take].CopyTo(_head.AsSpan(_headCount));
            _headCount += take;
            if (_headCount < _head.Length)
            {
                return;
            }

            Decide();
            if (_scanner is null)
            {
                return;
            }

            // The scanner starts from the first byte: give it the head, then the rest of this chunk.
            _scanner.Feed(_head);
            chunk = chunk[take..];
        }

        if (_scanner is { } scanner && !_headerChecked && scanner.Feed(chunk))
        {
            CheckHeader();
        }
    }

    private void Decide()
    {
        Kind = MediaSniffer.Detect(_head.AsSpan(0, _headCount));
        if (_rules.TypeProblem(Kind) is { } problem)
        {
            throw problem;
        }

        if (MediaSniffer.IsImage(Kind))
        {
            _scanner = new ImageHeaderScanner(Kind);
        }
    }

    private void CheckHeader()
    {
        var scanner = _scanner!;
        _headerChecked = true;
        if (scanner.Failed)
        {
            throw UploadRules.Refuse(MaterialReasons.PhotoUnreadable, $"无法读取{MediaSniffer.Label(Kind)}的文件头，文件可能已损坏，请重新制作后上传");
        }

        if (_rules.Photo is { } photo && photo.Check(scanner.Width, scanner.Height, (photo.MinKb * 1024L) + 1) is { } broken)
        {
            // Checked with an in-range size: only the dimensions are judged here; the size at the end.
            throw UploadRules.Refuse(MaterialReasons.PhotoDimensions, broken);
        }
    }

    private void End()
    {
        if (BytesRead == 0)
        {
            throw UploadRules.Refuse(MaterialReasons.Empty, "上传的文件是空的，请重新选择文件");
        }

        if (Kind == MaterialKind.Unknown)
        {
            // Fewer bytes than the head: decide on what there is.
            Decide();
            _scanner?.Feed(_head.AsSpan(0, _headCount));
        }

        if (_scanner is { } scanner)
        {
            if (!scanner.Found)
            {
                throw UploadRules.Refuse(MaterialReasons.PhotoUnreadable, $"无法读取{MediaSniffer.Label(Kind)}的文件头，文件可能已损坏，请重新制作后上传");
            }

            if (!_headerChecked)
            {
                CheckHeader();
            }
        }

        if (_rules.Photo is { } photo && Dimensions is var (width, height) && photo.Check(width, height, BytesRead) is { } broken)
        {
            throw UploadRules.Refuse(MaterialReasons.PhotoSize, broken);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>What an upload of one material must meet: its accepted types and its size limit.</summary>
/// <param name="Material">The catalog material.</param>
/// <param name="FileName">The file name given.</param>
/// <param name="DeclaredMediaType">The media type declared, or empty.</param>
/// <param name="MaxBytes">The size limit: the hub's, or the photo rule's when lower.</param>
public sealed record UploadRules(MaterialDefinition Material, string FileName, string DeclaredMediaType, long MaxBytes)
{
    /// <summary>The photo rule, if the material is a photo.</summary>
    public PhotoRuleDefinition? Photo => Material.Photo;

    /// <summary>Whether the limit is the photo rule's (its maximum size) rather than the hub's.</summary>
    public bool LimitIsPhotoRule => Photo is { } photo && photo.MaxKb * 1024L <= MaxBytes;

    /// <summary>The rules for a material, under the hub's limit.</summary>
    public static UploadRules For(MaterialDefinition material, string fileName, string declaredMediaType, long hubMaxBytes) =>
        new(material, fileName, declaredMediaType, material.Photo is { } photo ? Math.Min(hubMaxBytes, photo.MaxKb * 1024L) : hubMaxBytes);

    /// <summary>The refusal when the content's kind is not accepted or disagrees with the name or declared type; null when fine.</summary>
    public HubRequestInvalidException? TypeProblem(MaterialKind kind)
    {
        if (kind == MaterialKind.Unknown)
        {
            return Refuse(MaterialReasons.TypeMismatch, $"文件“{FileName}”的内容不是JPEG、PNG、PDF或OFD文件，请上传这些格式的文件", "metadata.file_name");
        }

        var byName = MediaSniffer.FromFileName(FileName);
        if (byName != kind)
        {
            return Refuse(MaterialReasons.TypeMismatch,
                $"文件“{FileName}”的内容是{MediaSniffer.Label(kind)}，与文件扩展名不符（应为{Extension(kind)}）", "metadata.file_name");
        }

        if (DeclaredMediaType.Length > 0 && MediaSniffer.FromMediaType(DeclaredMediaType) != kind)
        {
            return Refuse(MaterialReasons.TypeMismatch,
                $"文件“{FileName}”的内容是{MediaSniffer.Label(kind)}，与声明的类型{DeclaredMediaType}不符", "metadata.media_type");
        }

        if (Photo is not null && !MediaSniffer.IsImage(kind))
        {
            return Refuse(MaterialReasons.TypeMismatch, $"“{Material.Title}”须为JPEG或PNG格式的相片", "metadata.file_name");
        }

        return null;
    }

    /// <summary>The refusal of an upload past the limit.</summary>
    public HubRequestInvalidException TooLarge(long bytesRead)
    {
        if (LimitIsPhotoRule)
        {
            var photo = Photo!;
            return Refuse(MaterialReasons.PhotoSize, $"相片大小应在{photo.MinKb}KB至{photo.MaxKb}KB之间，上传的文件已超过{photo.MaxKb}KB");
        }

        return Refuse(MaterialReasons.TooLarge, $"材料“{Material.Title}”的文件不能超过{Size(MaxBytes)}（已读取{Size(bytesRead)}仍未结束）");
    }

    /// <summary>A refusal with one violation.</summary>
    public static HubRequestInvalidException Refuse(string reason, string description, string field = "chunk") =>
        new(ErrorReasons.RequestInvalid, description, [new FieldViolation(field, reason, description)]);

    private static string Extension(MaterialKind kind) => kind switch
    {
        MaterialKind.Jpeg => ".jpg或.jpeg",
        MaterialKind.Png => ".png",
        MaterialKind.Pdf => ".pdf",
        _ => ".ofd",
    };

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture) + "MB"
        : (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + "KB";
}
