using System.Security.Cryptography;
using System.Text;

namespace OneThing.Hub.Security;

/// <summary>One key of the personal-data key ring.</summary>
/// <param name="Id">The key id written into every value sealed with it (letters, digits, '-').</param>
/// <param name="Algorithm"><c>A256GCM</c> (32-byte key) or <c>SM4GCM</c> (16-byte key).</param>
/// <param name="Key">The key bytes.</param>
public sealed record PersonalDataKey(string Id, string Algorithm, byte[] Key);

/// <summary>
/// Seals personal data (ID numbers, phones, accounts, addresses) for storage and finds it again
/// through a keyed hash. A sealed value names its key, so keys rotate without downtime: new values
/// use the active key, old values open with the key they name until they are re-sealed.
/// The column (or purpose) is bound as associated data, so a sealed value moved to another column
/// does not open.
/// </summary>
public sealed class PersonalDataProtector
{
    private const string Prefix = "pd1";
    private const int NonceSize = 12;
    private readonly Dictionary<string, (PersonalDataKey Key, IFieldCipher Cipher)> _keys;
    private readonly byte[] _indexKey;

    /// <summary>Creates the protector.</summary>
    /// <param name="keys">Every key that may have sealed a stored value.</param>
    /// <param name="activeKeyId">The key new values are sealed with.</param>
    /// <param name="indexKey">The HMAC key of the blind index (at least 32 bytes); rotating it means re-indexing.</param>
    public PersonalDataProtector(IEnumerable<PersonalDataKey> keys, string activeKeyId, byte[] indexKey)
    {
        _keys = new Dictionary<string, (PersonalDataKey, IFieldCipher)>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key.Id.Length == 0 || key.Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
            {
                throw new ArgumentException($"key id '{key.Id}' must be letters, digits and '-'", nameof(keys));
            }

            IFieldCipher cipher = key.Algorithm switch
            {
                "A256GCM" when key.Key.Length == 32 => new AesGcmFieldCipher(),
                "SM4GCM" when key.Key.Length == 16 => new Sm4GcmFieldCipher(),
                _ => throw new ArgumentException($"key '{key.Id}': algorithm '{key.Algorithm}' with a {key.Key.Length * 8}-bit key is not supported (A256GCM: 256 bits; SM4GCM: 128 bits)", nameof(keys)),
            };
            if (!_keys.TryAdd(key.Id, (key, cipher)))
            {
                throw new ArgumentException($"key id '{key.Id}' is given twice", nameof(keys));
            }
        }

        if (!_keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"the active key '{activeKeyId}' is not in the key ring", nameof(activeKeyId));
        }

        if (indexKey.Length < 32)
        {
            throw new ArgumentException("the blind-index key needs at least 256 bits", nameof(indexKey));
        }

        ActiveKeyId = activeKeyId;
        _indexKey = indexKey;
    }

    /// <summary>The key new values are sealed with.</summary>
    public string ActiveKeyId { get; }

    /// <summary>Seals a value for <paramref name="purpose"/> (e.g. <c>applicant.id_number</c>).</summary>
    public string Seal(string plaintext, string purpose)
    {
        var (key, cipher) = _keys[ActiveKeyId];
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var sealedBytes = cipher.Encrypt(key.Key, nonce, Encoding.UTF8.GetBytes(plaintext), Encoding.UTF8.GetBytes(purpose));
        return $"{Prefix}.{key.Id}.{Convert.ToBase64String(nonce)}.{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>Opens a sealed value; throws <see cref="CryptographicException"/> when the key is unknown or the value was altered or moved.</summary>
    public string Open(string sealedValue, string purpose)
    {
        var parts = sealedValue.Split('.');
        if (parts is not [Prefix, var keyId, var nonce, var body])
        {
            throw new CryptographicException("not a sealed personal-data value");
        }

        if (!_keys.TryGetValue(keyId, out var entry))
        {
            throw new CryptographicException($"key '{keyId}' is not in the key ring");
        }

        try
        {
            var plaintext = entry.Cipher.Decrypt(entry.Key.Key, Convert.FromBase64String(nonce), Convert.FromBase64String(body), Encoding.UTF8.GetBytes(purpose));
            return Encoding.UTF8.GetString(plaintext);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("the sealed value is malformed", e);
        }
    }

    /// <summary>Whether a sealed value should be re-sealed with the active key.</summary>
    public bool NeedsRotation(string sealedValue) => sealedValue.Split('.') is [Prefix, var keyId, _, _] && keyId != ActiveKeyId;

    /// <summary>
    /// A keyed hash to find a value without storing it in clear (e.g. every application of one ID
    /// number). Case and surrounding spaces are ignored. Equal values give equal indexes per purpose.
    /// </summary>
    public string BlindIndex(string value, string purpose)
    {
        var normalized = $"{purpose}\n{value.Trim().ToUpperInvariant()}";
        var mac = HMACSHA256.HashData(_indexKey, Encoding.UTF8.GetBytes(normalized));
        return Convert.ToBase64String(mac, 0, 20).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
