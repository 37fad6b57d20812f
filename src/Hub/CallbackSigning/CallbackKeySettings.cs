namespace OneThing.Hub.CallbackSigning;

/// <summary>
/// The hub's configuration keys for department callback keys (section <c>Security:Callbacks</c>), for
/// whatever starts a hub beside departments it made up (the sandbox, tests, the benchmark).
/// </summary>
public static class CallbackKeySettings
{
    /// <summary>
    /// The settings that make the hub accept <paramref name="key"/> from <paramref name="department"/>
    /// (and name it the department's active key): <c>Security:Callbacks:{department}:Keys:{keyId}</c>,
    /// <c>…:ActiveKey</c> and <c>…:Algorithm</c>.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> For(string department, CallbackKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var section = $"Security:Callbacks:{department}";
        yield return new($"{section}:Keys:{key.KeyId}", Convert.ToBase64String(key.Secret));
        yield return new($"{section}:ActiveKey", key.KeyId);
        yield return new($"{section}:Algorithm", CallbackSignature.NameOf(key.Algorithm));
    }

    /// <summary>The settings for every department's key.</summary>
    public static IEnumerable<KeyValuePair<string, string>> For(IEnumerable<KeyValuePair<string, CallbackKey>> keys) =>
        keys.SelectMany(k => For(k.Key, k.Value));
}
