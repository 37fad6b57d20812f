using System.Security.Cryptography;
using OneThing.Hub.Security;

namespace OneThing.Tests.Security;

/// <summary>Personal-data keys for tests that build contexts or hubs themselves (random, one set per test run).</summary>
public static class PersonalDataTestKeys
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);

    /// <summary>The protector for <see cref="Settings"/>' keys (one instance: contexts built with it share one model).</summary>
    public static PersonalDataProtector Protector { get; } = new([new PersonalDataKey("test-1", "A256GCM", Key)], "test-1", IndexKey);

    /// <summary>The same keys as configuration (<c>Security:PersonalData</c>).</summary>
    public static Dictionary<string, string?> Settings => new()
    {
        ["Security:PersonalData:ActiveKey"] = "test-1",
        ["Security:PersonalData:Keys:test-1:Algorithm"] = "A256GCM",
        ["Security:PersonalData:Keys:test-1:Key"] = Convert.ToBase64String(Key),
        ["Security:PersonalData:IndexKey"] = Convert.ToBase64String(IndexKey),
    };
}
