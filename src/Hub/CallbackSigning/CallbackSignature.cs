using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace OneThing.Hub.CallbackSigning;

/// <summary>The MAC algorithms a department may sign its callbacks with.</summary>
public enum CallbackSignatureAlgorithm
{
    /// <summary>HMAC over SM3 (GB/T 32905), the commercial-cryptography default.</summary>
    HmacSm3,

    /// <summary>HMAC-SHA256 (RFC 2104, FIPS 180-4), for departments without an SM3 implementation.</summary>
    HmacSha256,
}

/// <summary>One department signing key: its id (sent with every signature), its secret and its algorithm.</summary>
/// <param name="KeyId">The key's id, 1 to 64 characters of <c>A-Z a-z 0-9 . _ -</c>, unique across the hub (e.g. <c>tax-2026-11</c>).</param>
/// <param name="Secret">The shared secret, at least 16 bytes (32 recommended).</param>
/// <param name="Algorithm">The MAC algorithm.</param>
public sealed record CallbackKey(string KeyId, byte[] Secret, CallbackSignatureAlgorithm Algorithm = CallbackSignatureAlgorithm.HmacSm3)
{
    /// <summary>The shortest secret accepted, in bytes.</summary>
    public const int MinSecretBytes = 16;

    /// <summary>A new key with a random 32-byte secret (for sandboxes and tests; production keys come from configuration).</summary>
    public static CallbackKey Generate(string keyId, CallbackSignatureAlgorithm algorithm = CallbackSignatureAlgorithm.HmacSm3) =>
        new(keyId, RandomNumberGenerator.GetBytes(32), algorithm);

    /// <summary>Whether <paramref name="keyId"/> is a well-formed key id.</summary>
    public static bool IsValidKeyId(string? keyId) =>
        keyId is { Length: > 0 and <= 64 } && keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <inheritdoc />
    public override string ToString() => $"CallbackKey {{ KeyId = {KeyId}, Algorithm = {CallbackSignature.NameOf(Algorithm)} }}";
}

/// <summary>
/// The callback signature scheme <c>ONETHING-CALLBACK-V1</c> (see callbacks.proto): the headers, the
/// text that is signed, and the MAC over it.
/// </summary>
public static class CallbackSignature
{
    /// <summary>The scheme's name, the first line of the signed text.</summary>
    public const string Scheme = "ONETHING-CALLBACK-V1";

    /// <summary>Header: the id of the key that signed.</summary>
    public const string KeyIdHeader = "x-onething-key-id";

    /// <summary>Header: when the department signed, Unix milliseconds (decimal).</summary>
    public const string TimestampHeader = "x-onething-timestamp";

    /// <summary>Header: a value the department never uses twice, 16 to 64 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public const string NonceHeader = "x-onething-nonce";

    /// <summary>Header: the MAC, standard base64.</summary>
    public const string SignatureHeader = "x-onething-signature";

    /// <summary>The gRPC method name of DepartmentCallbackService.ReportItemResult, as signed (also for HTTP/JSON calls).</summary>
    public const string ReportItemResultMethod = "/onething.hub.v1.DepartmentCallbackService/ReportItemResult";

    /// <summary>The name of an algorithm as configured and signed: <c>HMAC-SM3</c> or <c>HMAC-SHA256</c>.</summary>
    public static string NameOf(CallbackSignatureAlgorithm algorithm) => algorithm switch
    {
        CallbackSignatureAlgorithm.HmacSm3 => "HMAC-SM3",
        CallbackSignatureAlgorithm.HmacSha256 => "HMAC-SHA256",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown callback signature algorithm"),
    };

    /// <summary>Reads an algorithm name (<c>HMAC-SM3</c>, <c>HMAC-SHA256</c>, case-insensitive).</summary>
    public static bool TryParseAlgorithm(string? name, out CallbackSignatureAlgorithm algorithm)
    {
        foreach (var candidate in Enum.GetValues<CallbackSignatureAlgorithm>())
        {
            if (string.Equals(NameOf(candidate), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    /// <summary>Whether <paramref name="nonce"/> is well formed: 16 to 64 characters of <c>A-Z a-z 0-9 _ -</c>.</summary>
    public static bool IsValidNonce(string? nonce) =>
        nonce is { Length: >= 16 and <= 64 } && nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>A fresh nonce: 128 random bits as 32 lower-case hex characters.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// The text that is signed: <c>ONETHING-CALLBACK-V1</c>, the algorithm name, the gRPC method, the key
    /// id, the timestamp and the nonce exactly as sent in the headers, then the request's canonical form
    /// (<see cref="CallbackCanonicalForm"/>), each on its own line (LF), no trailing LF.
    /// </summary>
    public static string TextToSign(CallbackSignatureAlgorithm algorithm, string method, string keyId, string timestamp, string nonce, IMessage request) =>
        string.Join('\n', Scheme, NameOf(algorithm), method, keyId, timestamp, nonce, CallbackCanonicalForm.Of(request));

    /// <summary>The MAC of <paramref name="text"/> (UTF-8) under <paramref name="key"/>.</summary>
    public static byte[] Mac(CallbackKey key, string text)
    {
        ArgumentNullException.ThrowIfNull(key);
        var data = Encoding.UTF8.GetBytes(text);
        switch (key.Algorithm)
        {
            case CallbackSignatureAlgorithm.HmacSha256:
                return HMACSHA256.HashData(key.Secret, data);
            case CallbackSignatureAlgorithm.HmacSm3:
                var hmac = new HMac(new SM3Digest());
                hmac.Init(new KeyParameter(key.Secret));
                hmac.BlockUpdate(data, 0, data.Length);
                var mac = new byte[hmac.GetMacSize()];
                hmac.DoFinal(mac, 0);
                return mac;
            default:
                throw new ArgumentOutOfRangeException(nameof(key), key.Algorithm, "unknown callback signature algorithm");
        }
    }

    /// <summary>The four signature headers for <paramref name="request"/>, signed now with <paramref name="key"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(CallbackKey key, string method, IMessage request, DateTimeOffset now, string? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var timestamp = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        nonce ??= NewNonce();
        var signature = Convert.ToBase64String(Mac(key, TextToSign(key.Algorithm, method, key.KeyId, timestamp, nonce, request)));
        return
        [
            new(KeyIdHeader, key.KeyId),
            new(TimestampHeader, timestamp),
            new(NonceHeader, nonce),
            new(SignatureHeader, signature),
        ];
    }

    /// <summary>Whether <paramref name="signature"/> (base64) is the MAC of the signed text; compares in fixed time.</summary>
    public static bool Verify(CallbackKey key, string method, string timestamp, string nonce, IMessage request, string signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var expected = Mac(key, TextToSign(key.Algorithm, method, key.KeyId, timestamp, nonce, request));
        var given = new byte[expected.Length + 1];
        return Convert.TryFromBase64String(signature, given, out var written)
            && written == expected.Length
            && CryptographicOperations.FixedTimeEquals(expected, given.AsSpan(0, written));
    }
}
