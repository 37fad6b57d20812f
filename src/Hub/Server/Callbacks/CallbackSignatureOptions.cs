using Microsoft.Extensions.Options;
using OneThing.Adapters;
using OneThing.Hub.CallbackSigning;

namespace OneThing.Hub.Callbacks;

/// <summary>
/// The keys departments sign their callbacks with, and how far a callback's timestamp may stray from
/// the hub's clock. Section <c>Security:Callbacks</c>:
/// <c>Security:Callbacks:{department}:Keys:{keyId}</c> = base64 secret (at least 16 bytes; several
/// keys at once during a rotation, all accepted), <c>Security:Callbacks:{department}:ActiveKey</c> =
/// the key id the department signs with now (for signers; the hub accepts every listed key),
/// <c>Security:Callbacks:{department}:Algorithm</c> = <c>HMAC-SM3</c> (default) or <c>HMAC-SHA256</c>,
/// <c>Security:Callbacks:Window</c> = the allowed clock difference either way (default 00:05:00).
/// Every department in <c>Departments</c> needs at least one key, or the hub does not start.
/// </summary>
public sealed class CallbackSignatureOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Security:Callbacks";

    /// <summary>The setting of the window, under <see cref="Section"/>.</summary>
    public const string WindowSetting = "Window";

    /// <summary>The largest window accepted: nonces are kept this long, and a longer one lets replays of old callbacks be checked against ever more rows.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);

    private readonly Dictionary<string, (string Department, CallbackKey Key)> byKeyId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> activeKeys = new(StringComparer.Ordinal);
    private readonly List<string> problems = [];

    /// <summary>How far a callback's timestamp may be from the hub's clock, either way.</summary>
    public TimeSpan Window { get; private set; } = TimeSpan.FromMinutes(5);

    /// <summary>What is wrong with the configuration; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems => problems;

    /// <summary>The departments that have at least one key, by stable name.</summary>
    public IReadOnlyCollection<string> Departments => byKeyId.Values.Select(v => v.Department).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Finds a key by id, with the department it belongs to.</summary>
    public bool TryFindKey(string keyId, out string department, out CallbackKey key)
    {
        if (byKeyId.TryGetValue(keyId, out var found))
        {
            (department, key) = found;
            return true;
        }

        department = string.Empty;
        key = null!;
        return false;
    }

    /// <summary>The key a department signs with now: its <c>ActiveKey</c>, else its only key; null when it has none.</summary>
    public CallbackKey? ActiveKeyOf(string department)
    {
        if (activeKeys.TryGetValue(department, out var keyId) && byKeyId.TryGetValue(keyId, out var active))
        {
            return active.Key;
        }

        var keys = byKeyId.Values.Where(v => v.Department == department).ToList();
        return keys.Count == 1 ? keys[0].Key : null;
    }

    /// <summary>Reads <see cref="Section"/> and checks it against the departments in <c>Departments</c>.</summary>
    public void Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        if (section[WindowSetting] is { Length: > 0 } window)
        {
            if (TimeSpan.TryParse(window, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > TimeSpan.Zero && parsed <= MaxWindow)
            {
                Window = parsed;
            }
            else
            {
                problems.Add($"{Section}:{WindowSetting} must be a time span above zero and at most {MaxWindow} (e.g. 00:05:00), not '{window}'.");
            }
        }

        foreach (var child in section.GetChildren())
        {
            if (child.Key.Equals(WindowSetting, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!DepartmentNames.TryParse(child.Key, out var known))
            {
                problems.Add($"{Section}:{child.Key} names no department the hub knows (known: {string.Join(", ", Enum.GetValues<Department>().Select(d => d.ToName()))}).");
                continue;
            }

            LoadDepartment(child, known.ToName());
        }

        foreach (var configured in configuration.GetSection("Departments").GetChildren())
        {
            var name = DepartmentNames.TryParse(configured.Key, out var d) ? d.ToName() : configured.Key;
            if (!byKeyId.Values.Any(v => v.Department == name))
            {
                problems.Add(
                    $"Departments:{configured.Key} is configured but {Section}:{configured.Key} has no key, so the hub could not verify the department's callbacks. " +
                    $"Add {Section}:{configured.Key}:Keys:<key id> = <base64 of at least {CallbackKey.MinSecretBytes} random bytes> (e.g. from `openssl rand -base64 32`) and give the department the same key and id.");
            }
        }
    }

    private void LoadDepartment(IConfigurationSection department, string name)
    {
        var path = $"{Section}:{department.Key}";
        var algorithm = CallbackSignatureAlgorithm.HmacSm3;
        if (department["Algorithm"] is { Length: > 0 } algorithmName && !CallbackSignature.TryParseAlgorithm(algorithmName, out algorithm))
        {
            problems.Add($"{path}:Algorithm must be HMAC-SM3 (the default) or HMAC-SHA256, not '{algorithmName}'.");
            return;
        }

        foreach (var key in department.GetSection("Keys").GetChildren())
        {
            if (!CallbackKey.IsValidKeyId(key.Key))
            {
                problems.Add($"{path}:Keys:{key.Key}: a key id has 1 to 64 characters of A-Z a-z 0-9 . _ -.");
                continue;
            }

            var secret = new byte[key.Value?.Length ?? 0];
            if (!Convert.TryFromBase64String(key.Value ?? string.Empty, secret, out var length) || length < CallbackKey.MinSecretBytes)
            {
                problems.Add($"{path}:Keys:{key.Key} must be the base64 of at least {CallbackKey.MinSecretBytes} bytes (32 recommended).");
                continue;
            }

            if (byKeyId.TryGetValue(key.Key, out var taken))
            {
                problems.Add($"{path}:Keys:{key.Key}: the key id is used by {taken.Department} too; key ids are unique across the hub, since the id names the department.");
                continue;
            }

            byKeyId[key.Key] = (name, new CallbackKey(key.Key, secret[..length], algorithm));
        }

        if (department["ActiveKey"] is { Length: > 0 } active)
        {
            if (byKeyId.TryGetValue(active, out var activeKey) && activeKey.Department == name)
            {
                activeKeys[name] = active;
            }
            else
            {
                problems.Add($"{path}:ActiveKey names '{active}', which is not one of {path}:Keys.");
            }
        }
    }
}

/// <summary>Fails the hub's start with every problem of <see cref="CallbackSignatureOptions"/>.</summary>
internal sealed class CallbackSignatureOptionsValidator : IValidateOptions<CallbackSignatureOptions>
{
    public ValidateOptionsResult Validate(string? name, CallbackSignatureOptions options) =>
        options.Problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(options.Problems.Prepend("Department callback keys are not configured correctly (Security:Callbacks):"));
}
