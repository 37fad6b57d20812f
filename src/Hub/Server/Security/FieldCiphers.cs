using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace OneThing.Hub.Security;

/// <summary>An authenticated cipher for one field value: 12-byte nonce, 16-byte tag, associated data.</summary>
public interface IFieldCipher
{
    /// <summary>The algorithm's name in sealed values, e.g. <c>A256GCM</c>.</summary>
    string Algorithm { get; }

    /// <summary>Encrypts <paramref name="plaintext"/>; returns ciphertext followed by the tag.</summary>
    byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData);

    /// <summary>Decrypts ciphertext-with-tag; throws <see cref="CryptographicException"/> when it was tampered with.</summary>
    byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData);
}

/// <summary>AES-256-GCM (the default).</summary>
public sealed class AesGcmFieldCipher : IFieldCipher
{
    /// <summary>The tag size in bytes.</summary>
    public const int TagSize = 16;

    /// <inheritdoc />
    public string Algorithm => "A256GCM";

    /// <inheritdoc />
    public byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        using var aes = new AesGcm(key, TagSize);
        var output = new byte[plaintext.Length + TagSize];
        aes.Encrypt(nonce, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length), associatedData);
        return output;
    }

    /// <inheritdoc />
    public byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData)
    {
        if (ciphertextAndTag.Length < TagSize)
        {
            throw new CryptographicException("the sealed value is too short");
        }

        using var aes = new AesGcm(key, TagSize);
        var plaintext = new byte[ciphertextAndTag.Length - TagSize];
        aes.Decrypt(nonce, ciphertextAndTag[..plaintext.Length], ciphertextAndTag[plaintext.Length..], plaintext, associatedData);
        return plaintext;
    }
}

/// <summary>
/// SM4-GCM (GB/T 32907 block cipher in GCM mode), the commercial-cryptography (商用密码, GB/T 39786)
/// option, from BouncyCastle since .NET has no SM4 of its own.
/// </summary>
public sealed class Sm4GcmFieldCipher : IFieldCipher
{
    /// <inheritdoc />
    public string Algorithm => "SM4GCM";

    /// <inheritdoc />
    public byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData) =>
        Run(forEncryption: true, key, nonce, plaintext, associatedData);

    /// <inheritdoc />
    public byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            return Run(forEncryption: false, key, nonce, ciphertextAndTag, associatedData);
        }
        catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
        {
            throw new CryptographicException("the sealed value failed authentication", e);
        }
    }

    private static byte[] Run(bool forEncryption, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, ReadOnlySpan<byte> associatedData)
    {
        if (key.Length != 16)
        {
            throw new CryptographicException("SM4 needs a 128-bit key");
        }

        var gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key.ToArray()), 128, nonce.ToArray(), associatedData.ToArray()));
        var output = new byte[gcm.GetOutputSize(input.Length)];
        var written = gcm.ProcessBytes(input.ToArray(), 0, input.Length, output, 0);
        written += gcm.DoFinal(output, written);
        return written == output.Length ? output : output[..written];
    }
}
