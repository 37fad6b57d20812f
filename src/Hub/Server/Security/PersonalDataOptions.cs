using Microsoft.Extensions.Options;

namespace OneThing.Hub.Security;

/// <summary>
/// The personal-data keys (section <c>Security:PersonalData</c>). There is no default: a hub without
/// keys refuses to start rather than store ID numbers, phones and accounts in clear.
/// </summary>
public sealed class PersonalDataOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Security:PersonalData";

    /// <summary>The id of the key new values are sealed with (one of <see cref="Keys"/>).</summary>
    public string? ActiveKey { get; set; }

    /// <summary>The key ring by id: every key that may have sealed a stored value.</summary>
    public Dictionary<string, PersonalDataKeyOptions> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The blind-index HMAC key, base64, at least 32 bytes. Changing it means re-indexing every row.</summary>
    public string? IndexKey { get; set; }

    /// <summary>
    /// Accept values stored in clear before sealing was introduced (read as they are; the re-seal
    /// routine seals them). Off by default: a value that is not sealed is refused, so nobody can
    /// slip a clear value (e.g. another bank account) past the authenticated encryption.
    /// </summary>
    public bool ReadUnsealed { get; set; }

    /// <summary>What is wrong with the settings, in words that name the settings; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (Keys.Count == 0)
        {
            yield return $"no personal-data keys: set {Section}:Keys:{{id}}:Algorithm (A256GCM or SM4GCM) and {Section}:Keys:{{id}}:Key (base64; 32 bytes for A256GCM, 16 for SM4GCM)";
        }

        foreach (var (id, key) in Keys)
        {
            if (key.Algorithm is not ("A256GCM" or "SM4GCM"))
            {
                yield return $"{Section}:Keys:{id}:Algorithm is '{key.Algorithm}'; use A256GCM (the default choice) or SM4GCM";
            }

            var expected = key.Algorithm == "SM4GCM" ? 16 : 32;
            if (Decode(key.Key) is not { } bytes)
            {
                yield return $"{Section}:Keys:{id}:Key is missing or not base64";
            }
            else if (bytes.Length != expected)
            {
                yield return $"{Section}:Keys:{id}:Key has {bytes.Length} bytes; {key.Algorithm} needs {expected}";
            }
        }

        if (string.IsNullOrWhiteSpace(ActiveKey))
        {
            yield return $"{Section}:ActiveKey is not set: name the key new values are sealed with";
        }
        else if (!Keys.ContainsKey(ActiveKey))
        {
            yield return $"{Section}:ActiveKey '{ActiveKey}' is not one of {Section}:Keys ({string.Join(", ", Keys.Keys)})";
        }

        if (Decode(IndexKey) is not { Length: >= 32 })
        {
            yield return $"{Section}:IndexKey must be base64 of at least 32 bytes (the blind-index HMAC key)";
        }
    }

    /// <summary>Builds the protector; call only when <see cref="Problems"/> is empty.</summary>
    /// <exception cref="OptionsValidationException">The settings are unusable.</exception>
    public PersonalDataProtector CreateProtector()
    {
        var problems = Problems().ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(PersonalDataOptions), problems);
        }

        return new PersonalDataProtector(
            Keys.Select(k => new PersonalDataKey(k.Key, k.Value.Algorithm!, Decode(k.Value.Key)!)),
            ActiveKey!,
            Decode(IndexKey)!);
    }

    private static byte[]? Decode(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>One key of <see cref="PersonalDataOptions.Keys"/>.</summary>
public sealed class PersonalDataKeyOptions
{
    /// <summary><c>A256GCM</c> or <c>SM4GCM</c>.</summary>
    public string? Algorithm { get; set; }

    /// <summary>The key, base64.</summary>
    public string? Key { get; set; }
}

/// <summary>Registers the personal-data protector.</summary>
public static class PersonalDataServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="PersonalDataProtector"/> built from <c>Security:PersonalData</c>, checked
    /// when the hub starts: without usable keys the start fails with a message naming the settings.
    /// </summary>
    public static IServiceCollection AddHubPersonalData(this IServiceCollection services, IConfiguration configuration)
    {
        // HttpClient's logs and traces show URLs with the query replaced by '*': a look-up by ID number
        // (the market registry's GET /licences?holderIdNumber=...) must not put the number in either,
        // whatever DOTNET_SYSTEM_NET_HTTP_DISABLEURIREDACTION says.
        AppContext.SetSwitch("System.Net.Http.DisableUriRedaction", false);
        services.AddOptions<PersonalDataOptions>()
            .Bind(configuration.GetSection(PersonalDataOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersonalDataOptions>, PersonalDataOptionsValidation>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PersonalDataOptions>>().Value.CreateProtector());
        return services;
    }

    /// <summary>Reports each problem by name, so the start failure says exactly which setting is wrong.</summary>
    private sealed class PersonalDataOptionsValidation : IValidateOptions<PersonalDataOptions>
    {
        public ValidateOptionsResult Validate(string? name, PersonalDataOptions options)
        {
            var problems = options.Problems().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}

/// <summary>The blind indexes the hub keeps, so callers compute them the same way the hub stores them.</summary>
public static class PersonalDataIndexes
{
    /// <summary>The blind-index purpose of an applicant's (and a certificate holder's) identity number.</summary>
    public const string ApplicantIdNumber = "applicant.id_number";

    /// <summary>
    /// The index of an identity number, as stored in <c>applications.ApplicantIndex</c> and
    /// <c>certificates.HolderIndex</c>: e.g. from the caller's <c>id_number</c> claim, to list "my"
    /// applications (<c>OfApplicant</c>) and certificates (<c>OfHolder</c>).
    /// </summary>
    public static string ApplicantIndex(this PersonalDataProtector protector, string idNumber) =>
        protector.BlindIndex(idNumber, ApplicantIdNumber);
}
