using OneThing.Hub.Materials;

namespace OneThing.Tests.Materials;

/// <summary>Type sniffing and header reading, without I/O.</summary>
public sealed class MaterialContentTests
{
    [Fact]
    public void Detect_MagicBytes_TellTheKindWhateverTheName()
    {
        Assert.Equal(MaterialKind.Png, MediaSniffer.Detect(TestFiles.Png(10, 10, 0)));
        Assert.Equal(MaterialKind.Jpeg, MediaSniffer.Detect(TestFiles.Jpeg(10, 10, 10)));
        Assert.Equal(MaterialKind.Pdf, MediaSniffer.Detect(TestFiles.Pdf()));
        Assert.Equal(MaterialKind.Ofd, MediaSniffer.Detect([0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0]));
        Assert.Equal(MaterialKind.Unknown, MediaSniffer.Detect("just some text"u8));
        Assert.Equal(MaterialKind.Unknown, MediaSniffer.Detect([0xFF, 0xD8]));
        Assert.Equal(MaterialKind.Jpeg, MediaSniffer.FromFileName("证件照.JPG"));
        Assert.Equal(MaterialKind.Unknown, MediaSniffer.FromFileName("photo.gif"));
        Assert.Equal(MaterialKind.Pdf, MediaSniffer.FromMediaType("application/pdf; charset=binary"));
    }

    [Fact]
    public void Png_Ihdr_GivesTheDimensionsFromThe24FirstBytes()
    {
        var png = TestFiles.Png(358, 441, 1000);
        Assert.Equal((358, 441), ImageHeaderScanner.Read(MaterialKind.Png, png));
        Assert.Equal((358, 441), ImageHeaderScanner.Read(MaterialKind.Png, png.AsSpan(0, 24)));
        Assert.Null(ImageHeaderScanner.Read(MaterialKind.Png, png.AsSpan(0, 23)));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 60000)]
    public void Jpeg_FrameHeader_FoundPastExifAndHuffmanTables(bool progressive, int exifBytes)
    {
        var jpeg = TestFiles.Jpeg(358, 441, 5000, progressive, exifBytes);
        Assert.Equal((358, 441), ImageHeaderScanner.Read(MaterialKind.Jpeg, jpeg));
    }

    [Fact]
    public void Jpeg_FedOneByteAtATime_StopsAtTheFrameHeaderWithoutReadingTheScan()
    {
        var jpeg = TestFiles.Jpeg(1024, 768, 200_000, exifBytes: 30_000);
        var scanner = new ImageHeaderScanner(MaterialKind.Jpeg);
        var fed = 0;
        while (!scanner.Done)
        {
            scanner.Feed(jpeg.AsSpan(fed++, 1));
        }

        Assert.True(scanner.Found);
        Assert.Equal((1024, 768), (scanner.Width, scanner.Height));
        Assert.True(fed < 31_000, $"read {fed} bytes to find the frame header");
    }

    [Fact]
    public void Jpeg_ScanBeforeAnyFrameOrGarbage_Unreadable()
    {
        byte[] noFrame = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xFF, 0xD9];
        var scanner = new ImageHeaderScanner(MaterialKind.Jpeg);
        scanner.Feed(noFrame);
        Assert.True(scanner.Failed);

        var garbage = new ImageHeaderScanner(MaterialKind.Jpeg);
        garbage.Feed([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12, 0x34]);
        Assert.True(garbage.Failed);
    }

    [Fact]
    public void InspectedUpload_PdfNamedJpg_RefusedAfterTheFirstBytes()
    {
        var material = new Hub.Domain.Catalog.MaterialDefinition("pledge", "承诺书", false, string.Empty);
        var rules = UploadRules.For(material, "scan.jpg", string.Empty, 1024 * 1024);
        using var upload = new InspectedUpload(new MemoryStream(TestFiles.Pdf()), rules);
        var refusal = Assert.Throws<Hub.Applications.HubRequestInvalidException>(() => upload.CopyTo(Stream.Null));
        Assert.Equal("MATERIAL_TYPE_MISMATCH", refusal.Violations.Single().Reason);
        Assert.Contains("PDF", refusal.Violations.Single().Description, StringComparison.Ordinal);
    }
}
