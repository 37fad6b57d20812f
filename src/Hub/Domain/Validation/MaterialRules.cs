using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;

namespace OneThing.Hub.Domain.Validation;

/// <summary>A material attached to an application under its catalog code.</summary>
/// <param name="Code">The catalog material code, e.g. <c>student-photo</c>.</param>
/// <param name="MaterialId">The uploaded material's id (the <c>{id}</c> of <c>materials/{id}</c>).</param>
/// <param name="Sha256">The content's SHA-256 (lowercase hex), recorded when the hub found the upload.</param>
/// <param name="MediaType">The media type detected at upload, recorded with <paramref name="Sha256"/>.</param>
/// <param name="SizeBytes">The size in bytes, recorded with <paramref name="Sha256"/>.</param>
public sealed record AttachedMaterial(string Code, string MaterialId, string? Sha256 = null, string? MediaType = null, long SizeBytes = 0);

/// <summary>What the hub knows of one uploaded material, handed to the rules as data.</summary>
/// <param name="Id">The material id.</param>
/// <param name="ThemeCode">The theme it was uploaded for.</param>
/// <param name="Code">The catalog material code it was uploaded as.</param>
public sealed record UploadedMaterialFacts(string Id, string ThemeCode, string Code);

/// <summary>The stable reason codes of material problems.</summary>
public static class MaterialReasons
{
    /// <summary>A material a chosen item needs is not attached.</summary>
    public const string Required = "MATERIAL_REQUIRED";

    /// <summary>A code the theme does not define.</summary>
    public const string Unknown = "UNKNOWN_MATERIAL";

    /// <summary>The same code attached twice.</summary>
    public const string Duplicate = "MATERIAL_DUPLICATE";

    /// <summary>The attached upload does not exist.</summary>
    public const string NotFound = "MATERIAL_NOT_FOUND";

    /// <summary>The attached upload was made for another code or theme.</summary>
    public const string CodeMismatch = "MATERIAL_CODE_MISMATCH";

    /// <summary>The content is not of the declared type, or not of an accepted type.</summary>
    public const string TypeMismatch = "MATERIAL_TYPE_MISMATCH";

    /// <summary>The file is over its size limit.</summary>
    public const string TooLarge = "MATERIAL_TOO_LARGE";

    /// <summary>The file is empty.</summary>
    public const string Empty = "MATERIAL_EMPTY";

    /// <summary>The content's SHA-256 is not the one the caller expected.</summary>
    public const string ChecksumMismatch = "MATERIAL_CHECKSUM_MISMATCH";

    /// <summary>The upload stream did not start with its metadata.</summary>
    public const string MetadataRequired = "MATERIAL_METADATA_REQUIRED";

    /// <summary>The photo's pixel dimensions are outside the catalog rule.</summary>
    public const string PhotoDimensions = "PHOTO_DIMENSIONS";

    /// <summary>The photo's file size is outside the catalog rule.</summary>
    public const string PhotoSize = "PHOTO_SIZE";

    /// <summary>The picture's header cannot be read.</summary>
    public const string PhotoUnreadable = "PHOTO_UNREADABLE";
}

/// <summary>
/// One set of materials (一套材料) for the whole application: every material a chosen item needs
/// that the hub cannot fetch itself is attached once by code, and each attachment is a real upload
/// of that code. Pure: what was uploaded is passed in as data.
/// </summary>
public static class MaterialRules
{
    /// <summary>Returns every material problem, each on <c>materials[code]</c>.</summary>
    /// <param name="theme">The theme.</param>
    /// <param name="content">The application, with its attachments.</param>
    /// <param name="uploaded">The uploads the attachments name that exist, by id.</param>
    /// <param name="requireUploads">Whether missing materials are reported (attachments are always checked).</param>
    /// <param name="notOnRecord">Shared materials a department has nothing on record for, with what to tell the applicant.</param>
    public static IReadOnlyList<FieldViolation> Check(
        ThemeDefinition theme,
        ApplicationContent content,
        IReadOnlyDictionary<string, UploadedMaterialFacts> uploaded,
        bool requireUploads,
        IReadOnlyDictionary<string, string>? notOnRecord = null)
    {
        ArgumentNullException.ThrowIfNull(theme);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(uploaded);
        var v = new List<FieldViolation>();
        var attached = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attachment in content.Materials ?? [])
        {
            var path = $"materials[{attachment.Code}]";
            var definition = theme.Materials.FirstOrDefault(m => m.Code == attachment.Code);
            if (definition is null)
            {
                v.Add(new(path, MaterialReasons.Unknown, $"「{theme.Title}」没有材料“{attachment.Code}”"));
                continue;
            }

            if (!attached.Add(attachment.Code))
            {
                v.Add(new(path, MaterialReasons.Duplicate, $"材料“{definition.Title}”重复上传，同一材料只需提供1份"));
                continue;
            }

            if (!uploaded.TryGetValue(attachment.MaterialId, out var facts))
            {
                v.Add(new(path, MaterialReasons.NotFound, $"材料“{definition.Title}”的上传文件不存在（materials/{attachment.MaterialId}），请重新上传"));
            }
            else if (facts.Code != attachment.Code || facts.ThemeCode != theme.Code)
            {
                v.Add(new(path, MaterialReasons.CodeMismatch, $"所附文件是作为“{facts.Code}”上传的，不是材料“{definition.Title}”，请按材料重新上传"));
            }
        }

        // A material the hub would fetch but the department has nothing on record for must be uploaded
        // after all (e.g. Shaoguan: 未能查询到法人信息 → the business licence), whatever requireUploads says.
        foreach (var need in GuideEvaluator.Materials(theme, content.SelectedItems, content.Fields).Where(n => n.Material.SharedData))
        {
            if (notOnRecord is not null && notOnRecord.TryGetValue(need.Material.Code, out var message) && !attached.Contains(need.Material.Code))
            {
                v.Add(new($"materials[{need.Material.Code}]", MaterialReasons.Required, $"{message}（{need.Material.Title}）"));
            }
        }

        if (requireUploads)
        {
            foreach (var need in GuideEvaluator.Materials(theme, content.SelectedItems, content.Fields).Where(n => !n.Material.SharedData))
            {
                if (!attached.Contains(need.Material.Code))
                {
                    var items = string.Join("、", need.ForItems.Select(i => $"「{theme.FindItem(i)!.Title}」"));
                    v.Add(new($"materials[{need.Material.Code}]", MaterialReasons.Required, $"请上传材料：{need.Material.Title}（{items}需要）"));
                }
            }
        }

        return v;
    }

    /// <summary>The attachments an item's department receives: those of the item's own catalog materials.</summary>
    public static IReadOnlyList<AttachedMaterial> ForItem(ThemeDefinition? theme, ApplicationContent content, string itemCode)
    {
        ArgumentNullException.ThrowIfNull(content);
        var needs = theme?.FindItem(itemCode)?.Materials;
        return needs is null ? [] : (content.Materials ?? []).Where(m => needs.Contains(m.Code, StringComparer.Ordinal)).ToList();
    }
}
