using System.Security.Cryptography;
using OneThing.Hub.Security;

namespace OneThing.Tests.Security;

/// <summary>Personal data sealed at rest (AES-GCM; SM4-GCM as the commercial-cryptography option), found through a keyed hash.</summary>
public sealed class PersonalDataProtectorTests
{
    private static readonly byte[] IndexKey = RandomNumberGenerator.GetBytes(32);
    private static readonly PersonalDataKey Aes1 = new("aes-2026-1", "A256GCM", RandomNumberGenerator.GetBytes(32));
    private static readonly PersonalDataKey Sm4 = new("sm4-2026-1", "SM4GCM", RandomNumberGenerator.GetBytes(16));

    [Theory]
    [InlineData("aes-2026-1")]
    [InlineData("sm4-2026-1")]
    public void SealOpen_EitherAlgorithm_RoundTripsAndHidesTheValue(string activeKey)
    {
        var protector = new PersonalDataProtector([Aes1, Sm4], activeKey, IndexKey);

        var sealedValue = protector.Seal("410302199003071231", "applicant.id_number");

        Assert.DoesNotContain("410302199003071231", sealedValue, StringComparison.Ordinal);
        Assert.Contains(activeKey, sealedValue, StringComparison.Ordinal);
        Assert.Equal("410302199003071231", protector.Open(sealedValue, "applicant.id_number"));
        Assert.NotEqual(sealedValue, protector.Seal("410302199003071231", "applicant.id_number")); // fresh nonce every time
    }

    [Fact]
    public void Open_AlteredOrMovedToAnotherColumn_Refused()
    {
        var protector = new PersonalDataProtector([Aes1], Aes1.Id, IndexKey);
        var sealedValue = protector.Seal("13800000000", "applicant.mobile");
        var parts = sealedValue.Split('.');
        var body = Convert.FromBase64String(parts[3]);
        body[0] ^= 1;
        var altered = string.Join('.', parts[0], parts[1], parts[2], Convert.ToBase64String(body));

        Assert.ThrowsAny<CryptographicException>(() => protector.Open(altered, "applicant.mobile"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Open(sealedValue, "payment.account_number"));
        Assert.ThrowsAny<CryptographicException>(() => protector.Open("13800000000", "applicant.mobile"));
    }

    [Fact]
    public void Rotation_OldValuesOpenWithTheirKeyNewValuesUseTheActiveOne()
    {
        var before = new PersonalDataProtector([Aes1], Aes1.Id, IndexKey);
        var old = before.Seal("6222026086108331540", "payment.account_number");
        var aes2 = new PersonalDataKey("aes-2026-2", "A256GCM", RandomNumberGenerator.GetBytes(32));

        var after = new PersonalDataProtector([Aes1, aes2], aes2.Id, IndexKey);

        Assert.Equal("6222026086108331540", after.Open(old, "payment.account_number"));
        Assert.True(after.NeedsRotation(old));
        var resealed = after.Seal(after.Open(old, "payment.account_number"), "payment.account_number");
        Assert.False(after.NeedsRotation(resealed));
        Assert.ThrowsAny<CryptographicException>(() => new PersonalDataProtector([aes2], aes2.Id, IndexKey).Open(old, "payment.account_number"));
    }

    [Fact]
    public void BlindIndex_SameValueSameIndexPerPurposeOnly()
    {
        var protector = new PersonalDataProtector([Aes1], Aes1.Id, IndexKey);

        Assert.Equal(protector.BlindIndex("11010519491231002x", "id"), protector.BlindIndex(" 11010519491231002X ", "id"));
        Assert.NotEqual(protector.BlindIndex("11010519491231002X", "id"), protector.BlindIndex("11010519491231002X", "mobile"));
        Assert.NotEqual(protector.BlindIndex("11010519491231002X", "id"), new PersonalDataProtector([Aes1], Aes1.Id, RandomNumberGenerator.GetBytes(32)).BlindIndex("11010519491231002X", "id"));
        Assert.DoesNotContain("1101", protector.BlindIndex("11010519491231002X", "id"), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyRing_BadKeys_RefusedAtStart()
    {
        Assert.Throws<ArgumentException>(() => new PersonalDataProtector([new PersonalDataKey("k", "A256GCM", new byte[16])], "k", IndexKey));
        Assert.Throws<ArgumentException>(() => new PersonalDataProtector([new PersonalDataKey("k", "DES", new byte[8])], "k", IndexKey));
        Assert.Throws<ArgumentException>(() => new PersonalDataProtector([Aes1], "missing", IndexKey));
        Assert.Throws<ArgumentException>(() => new PersonalDataProtector([Aes1], Aes1.Id, new byte[8]));
    }

    // GB/T 32907-2016 Appendix A.1: the published SM4 example, so the SM4 option is the real algorithm.
    [Fact]
    public void Sm4Engine_PublishedExample_Matches()
    {
        var key = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
        var engine = new Org.BouncyCastle.Crypto.Engines.SM4Engine();
        engine.Init(true, new Org.BouncyCastle.Crypto.Parameters.KeyParameter(key));
        var output = new byte[16];
        engine.ProcessBlock(key, 0, output, 0);
        Assert.Equal("681EDF34D206965E86B3E94F536E4246", Convert.ToHexString(output));
    }

    [Theory]
    [InlineData("410302199003071231", "410***********1231")]
    [InlineData("", "")]
    public void Mask_IdNumber(string value, string masked) => Assert.Equal(masked, PersonalDataMask.IdNumber(value));

    [Fact]
    public void Mask_MobileAccountNameAddress()
    {
        Assert.Equal("138****0000", PersonalDataMask.Mobile("13800000000"));
        Assert.Equal("***************1540", PersonalDataMask.Account("6222026086108331540"));
        Assert.Equal("欧**", PersonalDataMask.Name("欧阳修"));
        Assert.Equal("河南省洛阳市******", PersonalDataMask.Address("河南省洛阳市老城区东大街"));
    }
}
