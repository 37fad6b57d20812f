using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Hub.Applications;
using OneThing.Hub.Catalog;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Domain.Validation;
using OneThing.Hub.Persistence;

namespace OneThing.Hub.Materials;

/// <summary>What an upload is, from the first message of its stream.</summary>
/// <param name="ThemeCode">The theme code.</param>
/// <param name="Code">The catalog material code.</param>
/// <param name="FileName">The file name given.</param>
/// <param name="MediaType">The declared media type, or empty.</param>
/// <param name="Sha256">The expected SHA-256 (hex), or empty.</param>
public sealed record UploadMetadata(string ThemeCode, string Code, string FileName, string MediaType, string Sha256);

/// <summary>
/// The material use cases: upload (checked while streaming, stored by content), describe, and the
/// lookups application validation needs. One unit of work per call on its own <see cref="HubDbContext"/>.
/// </summary>
public sealed partial class MaterialUseCases(
    HubDbContext db,
    CatalogSnapshot catalog,
    IMaterialStore store,
    IOptions<MaterialOptions> options,
    MaterialUploadStatistics statistics,
    TimeProvider time,
    ILogger<MaterialUseCases> logger)
{
    private const int MaxFileNameLength = 255;

    /// <summary>
    /// Stores an upload after checking its metadata, then its content as it streams. Idempotent: the
    /// same bytes under the same theme and code return the first upload's material.
    /// </summary>
    public async Task<MaterialRecord> UploadAsync(UploadMetadata metadata, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var (theme, material) = CheckMetadata(metadata);
        var rules = UploadRules.For(material, metadata.FileName, metadata.MediaType, options.Value.MaxBytes);
        var inspected = new InspectedUpload(content, rules);
        StoredContent stored;
        try
        {
            stored = await store.PutAsync(inspected, metadata.Sha256.Length > 0 ? metadata.Sha256 : null, cancellationToken);
        }
        catch (HubRequestInvalidException invalid)
        {
            statistics.ObserveRefused(inspected.BytesRead);
            LogRefused(theme.Code, material.Code, invalid.Violations[0].Reason, inspected.BytesRead);
            throw;
        }
        catch (MaterialChecksumMismatchException mismatch)
        {
            statistics.ObserveRefused(inspected.BytesRead);
            throw UploadRules.Refuse(MaterialReasons.ChecksumMismatch,
                $"文件的SHA-256校验值为{mismatch.Actual}，与声明的{mismatch.Expected}不符，文件可能在传输中损坏，请重新上传", "metadata.sha256");
        }

        var id = MaterialId(theme.Code, material.Code, stored.Sha256);
        if (await db.Materials.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken) is { } existing)
        {
            return existing;
        }

        var dimensions = inspected.Dimensions;
        var record = new MaterialRecord
        {
            Id = id,
            ThemeCode = theme.Code,
            Code = material.Code,
            FileName = metadata.FileName,
            MediaType = MediaSniffer.MediaType(inspected.Kind),
            SizeBytes = stored.SizeBytes,
            Sha256 = stored.Sha256,
            WidthPx = dimensions?.Width,
            HeightPx = dimensions?.Height,
            // Stored as Unix milliseconds: the first answer carries what every later read returns.
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds()),
        };
        db.Materials.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent upload of the same bytes won the key: its row is this material.
            db.ChangeTracker.Clear();
            return await db.Materials.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken)
                ?? throw new InvalidOperationException("the material that won the id is gone");
        }

        return record;
    }

    /// <summary>Gets an uploaded material's description.</summary>
    public async Task<MaterialRecord> GetAsync(string id, CancellationToken cancellationToken) =>
        await db.Materials.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken)
            ?? throw new HubNotFoundException("MATERIAL_NOT_FOUND", $"没有找到材料 materials/{id}");

    /// <summary>
    /// The uploads an application's attachments name, by id, and the content with each attachment's
    /// checksum, media type and size recorded from its upload (so departments learn what was attached).
    /// </summary>
    public static async Task<(ApplicationContent Content, IReadOnlyDictionary<string, UploadedMaterialFacts> Uploaded)> ResolveAsync(HubDbContext db, ApplicationContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Materials is not { Count: > 0 } attached)
        {
            return (content, new Dictionary<string, UploadedMaterialFacts>());
        }

        var ids = attached.Select(a => a.MaterialId).Distinct(StringComparer.Ordinal).ToList();
        var records = await db.Materials.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, StringComparer.Ordinal, cancellationToken);
        var resolved = attached.Select(a => records.TryGetValue(a.MaterialId, out var r)
            ? a with { Sha256 = r.Sha256, MediaType = r.MediaType, SizeBytes = r.SizeBytes }
            : a with { Sha256 = null, MediaType = null, SizeBytes = 0 }).ToList();
        return (content with { Materials = resolved }, records.Values.ToDictionary(r => r.Id, r => new UploadedMaterialFacts(r.Id, r.ThemeCode, r.Code), StringComparer.Ordinal));
    }

    /// <summary>
    /// The materials an item's department receives: the application's attachments of the item's own
    /// catalog materials, each with its checksum and media type and a way to read its bytes.
    /// </summary>
    public static IReadOnlyList<SubmittedMaterial> ForSubmission(ThemeDefinition? theme, ApplicationContent content, string itemCode, IMaterialStore store) =>
        MaterialRules.ForItem(theme, content, itemCode)
            .Where(a => a.Sha256 is not null)
            .Select(a => new SubmittedMaterial(a.Code, a.Sha256!, a.MediaType ?? "application/octet-stream", a.SizeBytes, _ => Task.FromResult(store.OpenRead(a.Sha256!))))
            .ToList();

    /// <summary>The id of a material: derived from theme, code and content, so a repeated upload finds its first row.</summary>
    public static string MaterialId(string themeCode, string code, string sha256) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{themeCode}\n{code}\n{sha256}")))[..32];

    private (ThemeDefinition Theme, MaterialDefinition Material) CheckMetadata(UploadMetadata metadata)
    {
        var violations = new List<FieldViolation>();
        var theme = string.IsNullOrEmpty(metadata.ThemeCode) ? null : catalog.Latest(metadata.ThemeCode);
        if (string.IsNullOrEmpty(metadata.ThemeCode))
        {
            violations.Add(new("metadata.theme", ViolationReasons.Required, "请指明材料所属的一件事主题（themes/{code}）"));
        }
        else if (theme is null)
        {
            violations.Add(new("metadata.theme", ViolationReasons.UnknownTheme, $"没有主题“{metadata.ThemeCode}”"));
        }

        var material = theme?.Materials.FirstOrDefault(m => m.Code == metadata.Code);
        if (string.IsNullOrEmpty(metadata.Code))
        {
            violations.Add(new("metadata.code", ViolationReasons.Required, "请指明材料代码（见主题的材料清单）"));
        }
        else if (theme is not null && material is null)
        {
            violations.Add(new("metadata.code", MaterialReasons.Unknown, $"「{theme.Title}」没有材料“{metadata.Code}”"));
        }

        if (string.IsNullOrWhiteSpace(metadata.FileName))
        {
            violations.Add(new("metadata.file_name", ViolationReasons.Required, "请提供文件名"));
        }
        else if (metadata.FileName.Length > MaxFileNameLength || metadata.FileName.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            violations.Add(new("metadata.file_name", ViolationReasons.TooLong, $"文件名不能超过{MaxFileNameLength}个字符，且不能包含路径"));
        }
        else if (MediaSniffer.FromFileName(metadata.FileName) == MaterialKind.Unknown)
        {
            violations.Add(new("metadata.file_name", MaterialReasons.TypeMismatch, $"不支持文件“{metadata.FileName}”的类型：仅接受.jpg、.jpeg、.png、.pdf或.ofd文件"));
        }

        if (metadata.MediaType.Length > 0 && MediaSniffer.FromMediaType(metadata.MediaType) == MaterialKind.Unknown)
        {
            violations.Add(new("metadata.media_type", MaterialReasons.TypeMismatch, $"不支持的文件类型{metadata.MediaType}：仅接受image/jpeg、image/png、application/pdf或application/ofd"));
        }

        if (metadata.Sha256.Length > 0 && (metadata.Sha256.Length != 64 || !metadata.Sha256.All(Uri.IsHexDigit)))
        {
            violations.Add(new("metadata.sha256", "INVALID_SHA256", "SHA-256校验值应为64位十六进制字符"));
        }

        if (violations.Count > 0)
        {
            throw new HubRequestInvalidException(ErrorReasons.RequestInvalid, $"材料上传有{violations.Count}处问题", violations);
        }

        return (theme!, material!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload of {Theme}/{Code} refused ({Reason}) after {BytesRead} bytes")]
    private partial void LogRefused(string theme, string code, string reason, long bytesRead);
}
