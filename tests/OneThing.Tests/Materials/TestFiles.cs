using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace OneThing.Tests.Materials;

/// <summary>Files made by code for the material tests: real PNGs, JPEG-structured pictures, PDFs.</summary>
internal static class TestFiles
{
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    /// <summary>
    /// A valid 8-bit greyscale PNG of the given size. <paramref name="noiseBytes"/> pixels carry
    /// pseudo-random values (the rest are black) so the file's size can be steered: it is a little
    /// over <paramref name="noiseBytes"/> bytes.
    /// </summary>
    public static byte[] Png(int width, int height, int noiseBytes, int seed = 1)
    {
        var random = new Random(seed);
        var raw = new byte[(width + 1) * height];
        var noise = 0;
        for (var row = 0; row < height && noise < noiseBytes; row++)
        {
            for (var x = 1; x <= width && noise < noiseBytes; x++, noise++)
            {
                raw[(row * (width + 1)) + x] = (byte)random.Next(256);
            }
        }

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(raw);
        }

        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(0), (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", idat.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A JPEG-structured picture: SOI, APP0 (JFIF), an optional APP1 (EXIF) of <paramref name="exifBytes"/>,
    /// DQT, DHT, then the frame header (SOF0, or SOF2 when <paramref name="progressive"/>) with the
    /// dimensions, SOS, <paramref name="scanBytes"/> of entropy-coded-looking data and EOI. The header is
    /// exactly what encoders write; the scan data is not decodable, which the hub never tries.
    /// </summary>
    public static byte[] Jpeg(int width, int height, int scanBytes, bool progressive = false, int exifBytes = 0, int seed = 2)
    {
        using var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]);
        Segment(jpeg, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        if (exifBytes > 0)
        {
            var exif = new byte[exifBytes];
            "Exif\0\0"u8.CopyTo(exif);
            Segment(jpeg, 0xE1, exif);
        }

        Segment(jpeg, 0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        // A Huffman table segment: C4 lies in the SOF range but is not a frame header.
        Segment(jpeg, 0xC4, [0x00, 1, .. new byte[15], 0]);
        var frame = new byte[15];
        frame[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(3), (ushort)width);
        frame[5] = 3;
        new byte[] { 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 }.CopyTo(frame, 6);
        Segment(jpeg, progressive ? (byte)0xC2 : (byte)0xC0, frame);
        Segment(jpeg, 0xDA, [3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3F, 0]);
        var random = new Random(seed);
        var scan = new byte[scanBytes];
        random.NextBytes(scan);
        for (var i = 0; i < scan.Length; i++)
        {
            // Byte stuffing: a 0xFF in scan data is followed by 0x00; keep it simple and avoid 0xFF.
            scan[i] = scan[i] == 0xFF ? (byte)0xFE : scan[i];
        }

        jpeg.Write(scan);
        jpeg.Write([0xFF, 0xD9]);
        return jpeg.ToArray();
    }

    /// <summary>A small PDF document.</summary>
    public static byte[] Pdf(string text = "OneThing") => Encoding.ASCII.GetBytes(
        "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
        $"% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>Splits content into chunks of at most <paramref name="size"/> bytes.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] content, int size = 64 * 1024)
    {
        for (var offset = 0; offset < content.Length; offset += size)
        {
            yield return content.AsMemory(offset, Math.Min(size, content.Length - offset));
        }
    }

    private static void Segment(Stream jpeg, byte marker, byte[] payload)
    {
        jpeg.Write([0xFF, marker, (byte)((payload.Length + 2) >> 8), (byte)((payload.Length + 2) & 0xFF)]);
        jpeg.Write(payload);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typeBytes.Concat(data))
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc ^ 0xFFFFFFFFu);
        png.Write(crcBytes);
    }
}
