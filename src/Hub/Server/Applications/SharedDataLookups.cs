using OneThing.Adapters;
using OneThing.Hub.Domain.Applications;
using OneThing.Hub.Domain.Catalog;
using OneThing.Hub.Persistence;
using OneThing.Hub.Security;
using OneThing.Hub.Security.Audit;

namespace OneThing.Hub.Applications;

/// <summary>What a look-up of shared data found.</summary>
public enum SharedDataState
{
    /// <summary>On record.</summary>
    Found = 1,

    /// <summary>Nothing on record.</summary>
    NotFound = 2,

    /// <summary>The department could not be asked now.</summary>
    Unavailable = 3,
}

/// <summary>The result of one catalog look-up.</summary>
/// <param name="Definition">The catalog look-up.</param>
/// <param name="State">What it found.</param>
/// <param name="Values">The record's values when found.</param>
public sealed record SharedDataLookup(SharedDataDefinition Definition, SharedDataState State, IReadOnlyDictionary<string, string> Values);

/// <summary>A value fetched from a department for the form.</summary>
/// <param name="FieldKey">The form field key.</param>
/// <param name="Value">The value.</param>
/// <param name="Department">The department that holds it.</param>
/// <param name="Source">The catalog look-up's code.</param>
public sealed record PrefilledValue(string FieldKey, string Value, string Department, string Source);

/// <summary>Whether a material a look-up stands for must be uploaded after all.</summary>
/// <param name="Material">The material.</param>
/// <param name="State">What the look-up found.</param>
/// <param name="Department">The department asked.</param>
/// <param name="Message">What the applicant reads.</param>
public sealed record SharedMaterialStatus(MaterialDefinition Material, SharedDataState State, string Department, string Message)
{
    /// <summary>Whether the applicant must upload it: only when nothing is on record.</summary>
    public bool UploadRequired => State == SharedDataState.NotFound;
}

/// <summary>A form as far as departments can fill it.</summary>
/// <param name="Values">The fetched values.</param>
/// <param name="Materials">The materials look-ups stand for.</param>
public sealed record Prefill(IReadOnlyList<PrefilledValue> Values, IReadOnlyList<SharedMaterialStatus> Materials);

/// <summary>
/// Asks departments what they hold about an applicant (数据共享), as the theme's catalog names: the
/// values prefill the form and a record on file stands in for its material's upload.
/// </summary>
public sealed partial class SharedDataLookups(IEnumerable<IDepartmentAdapter> adapters, IServiceScopeFactory scopes, ILogger<SharedDataLookups> logger)
{
    private static readonly TimeSpan LookupBound = TimeSpan.FromSeconds(10);
    private readonly ISharedDataSource[] _sources = adapters.OfType<ISharedDataSource>().ToArray();

    /// <summary>
    /// Runs the theme's look-ups that the chosen items need (every look-up when none is chosen), at
    /// once; a department that cannot be asked now gives <see cref="SharedDataState.Unavailable"/>.
    /// </summary>
    public async Task<IReadOnlyList<SharedDataLookup>> LookupAsync(
        ThemeDefinition theme, IReadOnlyCollection<string> selectedItems, ApplicantInfo applicant, string correlationId, CancellationToken cancellationToken)
    {
        var needed = theme.SharedData.Where(d => Needed(theme, d, selectedItems)).ToList();
        return await Task.WhenAll(needed.Select(d => LookupOneAsync(d, applicant, correlationId, cancellationToken)));
    }

    /// <summary>
    /// The form as far as departments can fill it: every fetched value (with its source) and, for each
    /// material a look-up stands for, whether the applicant must upload it after all.
    /// </summary>
    public async Task<Prefill> PrefillAsync(ThemeDefinition theme, IReadOnlyCollection<string> selectedItems, ApplicantInfo applicant, string correlationId, CancellationToken cancellationToken)
    {
        // Evidence first: the read of a citizen's records at the departments is audited before it happens.
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
            await AuditTrail.RecordNowAsync(db, "personal_data.prefilled", $"themes/{theme.Code}", AuditTrail.Detail(
                ("rpc", AuditTrail.CallName(db)), ("subject", PersonalDataMask.IdNumber(applicant.IdNumber)), ("items", string.Join(',', selectedItems))), cancellationToken);
        }

        var lookups = await LookupAsync(theme, selectedItems, applicant, correlationId, cancellationToken);
        var values = new List<PrefilledValue>();
        var materials = new List<SharedMaterialStatus>();
        foreach (var lookup in lookups)
        {
            foreach (var (field, key) in lookup.Definition.Fills.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (lookup.State == SharedDataState.Found && lookup.Values.TryGetValue(key, out var value) && value.Length > 0)
                {
                    values.Add(new PrefilledValue(field, value, lookup.Definition.Department, lookup.Definition.Code));
                }
            }

            if (lookup.Definition.Material is { } code && theme.Materials.FirstOrDefault(m => m.Code == code) is { } material)
            {
                materials.Add(new SharedMaterialStatus(material, lookup.State, lookup.Definition.Department, lookup.State switch
                {
                    SharedDataState.Found => $"已通过数据共享获取{material.Title}，无需上传",
                    SharedDataState.NotFound => lookup.Definition.NotFoundMessage,
                    _ => $"暂时无法查询{material.Title}，可先提交，由部门核验",
                }));
            }
        }

        return new Prefill(values, materials);
    }

    private static bool Needed(ThemeDefinition theme, SharedDataDefinition lookup, IReadOnlyCollection<string> selectedItems)
    {
        var items = selectedItems.Count > 0 ? selectedItems : theme.Items.Select(i => i.Code).ToList();
        return items.Any(code =>
            (lookup.Material is { } m && theme.FindItem(code)?.Materials.Contains(m, StringComparer.Ordinal) == true) ||
            lookup.Fills.Keys.Any(f => theme.FindField(f)?.RequiredForItems.Contains(code, StringComparer.Ordinal) == true));
    }

    private async Task<SharedDataLookup> LookupOneAsync(SharedDataDefinition lookup, ApplicantInfo applicant, string correlationId, CancellationToken cancellationToken)
    {
        var source = _sources.FirstOrDefault(s => s.Department.ToName() == lookup.Department && s.Kinds.Contains(lookup.Kind, StringComparer.Ordinal));
        if (source is null)
        {
            LogNoSource(lookup.Code, lookup.Department, lookup.Kind);
            return new SharedDataLookup(lookup, SharedDataState.Unavailable, new Dictionary<string, string>());
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(LookupBound);
        try
        {
            var data = await source.LookupAsync(new SharedDataQuery(lookup.Kind, applicant.IdNumber, applicant.Name, correlationId), bound.Token);
            return new SharedDataLookup(lookup, data.Found ? SharedDataState.Found : SharedDataState.NotFound, data.Values);
        }
        catch (Exception e) when (e is DepartmentUnavailableException or DepartmentProtocolException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The department checks the material itself later; the applicant is not asked for it now.
            LogUnavailable(lookup.Code, lookup.Department, e.Message);
            return new SharedDataLookup(lookup, SharedDataState.Unavailable, new Dictionary<string, string>());
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Shared-data look-up {Code}: no adapter of {Department} looks up '{Kind}'; check the catalog and the department's configuration")]
    private partial void LogNoSource(string code, string department, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared-data look-up {Code} at {Department} failed: {Error}")]
    private partial void LogUnavailable(string code, string department, string error);
}
