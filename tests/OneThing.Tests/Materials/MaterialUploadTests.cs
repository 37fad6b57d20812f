using System.Diagnostics;
using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Materials;
using OneThing.Hub.V1;
using OneThing.Tests.Support;

namespace OneThing.Tests.Materials;

/// <summary>Uploads through the real client-streaming RPC on loopback: types by content, limits, photo rules.</summary>
public sealed class MaterialUploadTests
{
    private const string Jiangsu = "themes/jiangsu.job-seeking-subsidy";
    private const string Baotou = "themes/baotou.startup";

    [Fact]
    public async Task Upload_PhotosWithinTheRule_AcceptedWithShaSizeAndDimensions_RepeatReturnsTheSameMaterial()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var png = TestFiles.Png(358, 441, 30_000);
        var jpeg = TestFiles.Jpeg(350, 450, 40_000, progressive: true, exifBytes: 2_000);

        var fromPng = await sandbox.Materials.UploadAsync(Jiangsu, "student-photo", "证件照.png", png, "image/png");
        var fromJpeg = await sandbox.Materials.UploadAsync(Jiangsu, "student-photo", "证件照.jpeg", jpeg);

        Assert.Equal("image/png", fromPng.MediaType);
        Assert.Equal(png.Length, fromPng.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(png)), fromPng.Sha256);
        Assert.Equal((358, 441), (fromPng.WidthPx, fromPng.HeightPx));
        Assert.Equal("student-photo", fromPng.Code);
        Assert.Matches("^materials/[0-9a-f]{32}$", fromPng.Name);
        Assert.Equal(("image/jpeg", 350, 450), (fromJpeg.MediaType, fromJpeg.WidthPx, fromJpeg.HeightPx));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(jpeg)), fromJpeg.Sha256);

        // Content-addressed: a retried upload (same bytes, theme, code) is the same material.
        var again = await sandbox.Materials.UploadAsync(Jiangsu, "student-photo", "另一个名字.png", png, sha256: fromPng.Sha256);
        Assert.Equal(fromPng, again);
        Assert.Equal(fromPng, await sandbox.Materials.GetMaterialAsync(new GetMaterialRequest { Name = fromPng.Name }, Bounded.Options).Within());
        var store = (FileSystemMaterialStore)sandbox.HubServices.GetRequiredService<IMaterialStore>();
        Assert.True(File.Exists(store.PathOf(fromPng.Sha256)));
        Assert.StartsWith(Path.GetDirectoryName(sandbox.DatabaseFile)!, store.Root, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("扫描件.jpg", "", "pdf")]
    [InlineData("证件照.jpg", "image/jpeg", "text")]
    [InlineData("申请表.pdf", "application/pdf", "png")]
    [InlineData("申请表.pdf", "image/png", "pdf")]
    public async Task Upload_ContentNotWhatTheNameOrTypeSays_RefusedTypeMismatch(string fileName, string mediaType, string content)
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var bytes = content switch
        {
            "pdf" => TestFiles.Pdf(),
            "png" => TestFiles.Png(100, 100, 100),
            _ => "这不是图片，只是一段文字。"u8.ToArray(),
        };

        var (code, info, violations) = await RichErrors.FailureOf(() => sandbox.Materials.UploadAsync(Baotou, "startup-evidence", fileName, bytes, mediaType));

        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal("REQUEST_INVALID", info.Reason);
        var violation = Assert.Single(violations);
        Assert.Equal("MATERIAL_TYPE_MISMATCH", violation.Reason);
        Assert.Matches("[\u4e00-\u9fff]", violation.Description);
    }

    [Fact]
    public async Task Upload_PhotoOutsideItsRule_RefusedWithTheRuleItBroke()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var statistics = sandbox.HubServices.GetRequiredService<MaterialUploadStatistics>();

        var wide = await RichErrors.FailureOf(() => sandbox.Materials.UploadAsync(Jiangsu, "student-photo", "a.png", TestFiles.Png(600, 441, 30_000)));
        var tiny = await RichErrors.FailureOf(() => sandbox.Materials.UploadAsync(Jiangsu, "student-photo", "b.png", TestFiles.Png(358, 441, 0)));
        var heavy = TestFiles.Jpeg(358, 441, 400_000);
        var large = await RichErrors.FailureOf(() => sandbox.Materials.UploadAsync(Jiangsu, "student-photo", "c.jpg", heavy));

        Assert.Equal("PHOTO_DIMENSIONS", Assert.Single(wide.Violations).Reason);
        Assert.Contains("358×441", wide.Violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("600×441", wide.Violations[0].Description, StringComparison.Ordinal);
        Assert.Equal("PHOTO_SIZE", Assert.Single(tiny.Violations).Reason);
        Assert.Contains("15KB至100KB", tiny.Violations[0].Description, StringComparison.Ordinal);
        Assert.Equal("PHOTO_SIZE", Assert.Single(large.Violations).Reason);

        // The 400 KB photo was refused once it passed the rule's 100 KB, not read to its end.
        Assert.InRange(statistics.LastRefusedBytesRead, (100 * 1024) + 1, (100 * 1024) + (64 * 1024));
    }

    [Fact]
    public async Task Upload_50MegabytesOverA32MegabyteLimit_RefusedAfterReadingOnlyUpToTheLimit_24MegabytesStreamedToDisk()
    {
        const long limit = 32L * 1024 * 1024;
        await using var sandbox = await HubSandbox.StartAsync(new() { ["Materials:MaxBytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) }).Within();
        var statistics = sandbox.HubServices.GetRequiredService<MaterialUploadStatistics>();
        var store = (FileSystemMaterialStore)sandbox.HubServices.GetRequiredService<IMaterialStore>();

        var clock = Stopwatch.StartNew();
        var (code, _, violations) = await RichErrors.FailureOf(() => sandbox.Materials.UploadAsync(
            new UploadMaterialMetadata { Theme = Baotou, Code = "bank-loan-documents", FileName = "贷款资料.pdf" }, PdfChunks(50L * 1000 * 1000, null)));
        var refusedAfter = clock.Elapsed;

        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.Equal("MATERIAL_TOO_LARGE", Assert.Single(violations).Reason);
        Assert.InRange(statistics.LastRefusedBytesRead, limit + 1, limit + (64 * 1024));
        Assert.Equal(0, store.PendingWrites);

        // Under the limit, 24 MiB go through, hashed and written while they stream.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        const long size = 24L * 1024 * 1024;
        clock.Restart();
        var stored = await sandbox.Materials.UploadAsync(new UploadMaterialMetadata { Theme = Baotou, Code = "bank-loan-documents", FileName = "贷款资料.pdf" }, PdfChunks(size, hash));
        var uploadTime = clock.Elapsed;

        Assert.Equal(size, stored.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(hash.GetHashAndReset()), stored.Sha256);
        Assert.Equal(size, new FileInfo(store.PathOf(stored.Sha256)).Length);
        Assert.Equal(0, store.PendingWrites);

        // The most of any upload held in memory at once is one 64 KiB chunk (or the store's 64 KiB buffer).
        Assert.InRange(statistics.LargestBufferedBytes, 1, 64 * 1024);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"refused after reading {statistics.LastRefusedBytesRead:N0} bytes in {refusedAfter.TotalMilliseconds:F0} ms; " +
            $"24 MiB accepted in {uploadTime.TotalMilliseconds:F0} ms ({size / 1048576.0 / uploadTime.TotalSeconds:F0} MiB/s); largest buffer {statistics.LargestBufferedBytes:N0} bytes");
    }

    [Fact]
    public async Task Upload_ChunkOver64KiB_RefusedResourceExhausted()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var oversized = new byte[(64 * 1024) + 2048];
        TestFiles.Pdf().CopyTo(oversized, 0);

        var e = await Assert.ThrowsAsync<RpcException>(() => sandbox.Materials.UploadAsync(
            new UploadMaterialMetadata { Theme = Baotou, Code = "startup-evidence", FileName = "x.pdf" }, [oversized]));

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task Upload_WithoutMetadataOrWithUnknownCode_RefusedWithEveryProblem()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();

        var noMetadata = await RichErrors.FailureOf(async () =>
        {
            using var call = sandbox.Materials.UploadMaterial(Bounded.Options);
            await call.RequestStream.WriteAsync(new UploadMaterialRequest { Chunk = Google.Protobuf.ByteString.CopyFrom(TestFiles.Pdf()) }).Within();
            await call.RequestStream.CompleteAsync().Within();
            return await call.ResponseAsync.Within();
        });
        var unknown = await RichErrors.FailureOf(() => sandbox.Materials.UploadAsync("themes/baotou.startup", "no-such-material", "a.gif", TestFiles.Pdf(), "image/gif"));
        var missing = await RichErrors.FailureOf(() => sandbox.Materials.GetMaterialAsync(new GetMaterialRequest { Name = "materials/" + new string('0', 32) }, Bounded.Options).Within());

        Assert.Equal("MATERIAL_METADATA_REQUIRED", Assert.Single(noMetadata.Violations).Reason);
        Assert.Equal(
            [("metadata.code", "UNKNOWN_MATERIAL"), ("metadata.file_name", "MATERIAL_TYPE_MISMATCH"), ("metadata.media_type", "MATERIAL_TYPE_MISMATCH")],
            unknown.Violations.Select(v => (v.Field, v.Reason)));
        Assert.Equal((StatusCode.NotFound, "MATERIAL_NOT_FOUND"), (missing.Code, missing.Info.Reason));
    }

    /// <summary>A PDF of <paramref name="size"/> bytes made on the fly in 64 KiB chunks, never held whole.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> PdfChunks(long size, IncrementalHash? hash)
    {
        var chunk = new byte[64 * 1024];
        new Random(7).NextBytes(chunk);
        "%PDF-1.7\n"u8.CopyTo(chunk);
        for (long sent = 0; sent < size; sent += chunk.Length)
        {
            var part = chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent));
            hash?.AppendData(part.Span);
            yield return part;
            chunk[^1]++; // vary the content from chunk to chunk
        }
    }
}
