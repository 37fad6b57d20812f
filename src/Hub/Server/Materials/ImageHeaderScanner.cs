using System.Buffers.Binary;

namespace OneThing.Hub.Materials;

/// <summary>
/// Finds a picture's pixel dimensions in its header as the bytes stream past, without decoding the
/// picture or holding more than a few bytes: PNG from its IHDR chunk, JPEG from its SOFn frame
/// header (baseline SOF0, progressive SOF2 and the other frame types), skipping the segments before
/// it (EXIF, ICC profiles) by their lengths. Feed it chunks in order until <see cref="Done"/>.
/// </summary>
public sealed class ImageHeaderScanner
{
    private const int PngHeaderLength = 24;

    private readonly MaterialKind _kind;
    private readonly byte[] _scratch = new byte[PngHeaderLength];
    private int _scratchCount;
    private JpegState _state = JpegState.Soi;
    private long _skip;
    private byte _marker;

    /// <summary>Starts a scan of a picture of the given kind (JPEG or PNG).</summary>
    public ImageHeaderScanner(MaterialKind kind)
    {
        if (!MediaSniffer.IsImage(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "only JPEG and PNG have a header to scan");
        }

        _kind = kind;
    }

    private enum JpegState
    {
        Soi,
        MarkerStart,
        MarkerCode,
        Length,
        Skip,
        Frame,
    }

    /// <summary>True once the dimensions were found or the header proved unreadable.</summary>
    public bool Done => Found || Failed;

    /// <summary>True once the dimensions were found.</summary>
    public bool Found { get; private set; }

    /// <summary>True when the header is malformed or ends before the dimensions.</summary>
    public bool Failed { get; private set; }

    /// <summary>The width in pixels, once found.</summary>
    public int Width { get; private set; }

    /// <summary>The height in pixels, once found.</summary>
    public int Height { get; private set; }

    /// <summary>How many bytes the scan consumed before it was done (or all it was fed).</summary>
    public long BytesScanned { get; private set; }

    /// <summary>Reads the dimensions of a whole picture held in memory (for tests and small files).</summary>
    public static (int Width, int Height)? Read(MaterialKind kind, ReadOnlySpan<byte> content)
    {
        var scanner = new ImageHeaderScanner(kind);
        scanner.Feed(content);
        return scanner.Found ? (scanner.Width, scanner.Height) : null;
    }

    /// <summary>Feeds the next bytes; returns <see cref="Done"/>.</summary>
    public bool Feed(ReadOnlySpan<byte> chunk)
    {
        if (Done)
        {
            return true;
        }

        if (_kind == MaterialKind.Png)
        {
            FeedPng(chunk);
        }
        else
        {
            FeedJpeg(chunk);
        }

        return Done;
    }

    private void FeedPng(ReadOnlySpan<byte> chunk)
    {
        var take = Math.Min(PngHeaderLength - _scratchCount, chunk.Length);
        chunk[..take].CopyTo(_scratch.AsSpan(_scratchCount));
        _scratchCount += take;
        BytesScanned += take;
        if (_scratchCount < PngHeaderLength)
        {
            return;
        }

        var header = _scratch.AsSpan();
        if (!header[12..16].SequenceEqual("IHDR"u8))
        {
            Failed = true;
            return;
        }

        Finish(BinaryPrimitives.ReadUInt32BigEndian(header[16..20]), BinaryPrimitives.ReadUInt32BigEndian(header[20..24]));
    }

    private void FeedJpeg(ReadOnlySpan<byte> chunk)
    {
        var i = 0;
        while (i < chunk.Length && !Done)
        {
            if (_state == JpegState.Skip)
            {
                var step = (int)Math.Min(_skip, chunk.Length - i);
                _skip -= step;
                i += step;
                if (_skip == 0)
                {
                    _state = JpegState.MarkerStart;
                }

                continue;
            }

            var b = chunk[i++];
            switch (_state)
            {
                case JpegState.Soi:
                    _scratch[_scratchCount++] = b;
                    if (_scratchCount == 2)
                    {
                        _scratchCount = 0;
                        _state = JpegState.MarkerStart;
                        Failed = _scratch[0] != 0xFF || _scratch[1] != 0xD8;
                    }

                    break;
                case JpegState.MarkerStart:
                    // Every segment starts with 0xFF; anything else means the file is not what it claims.
                    Failed = b != 0xFF;
                    _state = JpegState.MarkerCode;
                    break;
                case JpegState.MarkerCode:
                    OnMarker(b);
                    break;
                case JpegState.Length:
                    _scratch[_scratchCount++] = b;
                    if (_scratchCount == 2)
                    {
                        _scratchCount = 0;
                        var length = BinaryPrimitives.ReadUInt16BigEndian(_scratch);
                        if (length < 2)
                        {
                            Failed = true;
                        }
                        else if (IsFrameHeader(_marker))
                        {
                            _state = JpegState.Frame;
                        }
                        else
                        {
                            _skip = length - 2;
                            _state = _skip == 0 ? JpegState.MarkerStart : JpegState.Skip;
                        }
                    }

                    break;
                case JpegState.Frame:
                    // Precision (1 byte), height (2), width (2).
                    _scratch[_scratchCount++] = b;
                    if (_scratchCount == 5)
                    {
                        Finish(BinaryPrimitives.ReadUInt16BigEndian(_scratch.AsSpan(3, 2)), BinaryPrimitives.ReadUInt16BigEndian(_scratch.AsSpan(1, 2)));
                    }

                    break;
            }
        }

        BytesScanned += i;
    }

    private void OnMarker(byte marker)
    {
        switch (marker)
        {
            case 0xFF:
                // A fill byte: the marker code is still to come.
                break;
            case 0x01 or (>= 0xD0 and <= 0xD7):
                // Standalone markers (TEM, RSTn) have no length.
                _state = JpegState.MarkerStart;
                break;
            case 0xD8 or 0xD9 or 0xDA or 0x00:
                // A second SOI, the end, or the scan data before any frame header: no dimensions.
                Failed = true;
                break;
            default:
                _marker = marker;
                _state = JpegState.Length;
                break;
        }
    }

    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range but are not frames.
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private void Finish(uint width, uint height)
    {
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            Failed = true;
            return;
        }

        Width = (int)width;
        Height = (int)height;
        Found = true;
    }
}
