namespace OneThing.Simulators;

/// <summary>
/// Builds and checks 18-character unified social credit codes (统一社会信用代码) under GB 32100: a
/// 2-character registration authority and entity kind (e.g. "92" individual business registered by
/// market regulation), a 6-digit division code, a 9-character organisation code that carries its own
/// GB 11714 check character, and a MOD 31 check character.
/// </summary>
public static class UnifiedSocialCreditCode
{
    /// <summary>The 31 characters a USCC may use (no I, O, S, V, Z), in value order.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>The registration authority and kind of an individual business (个体工商户).</summary>
    public const string IndividualBusinessAuthority = "92";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrganisationWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Creates a valid USCC from its registration authority, division code and organisation code.</summary>
    /// <exception cref="ArgumentException">A part is malformed, or the organisation code's own check character is wrong.</exception>
    public static string Create(string registrationAuthority2, string divisionCode6, string organisationCode9)
    {
        ArgumentNullException.ThrowIfNull(registrationAuthority2);
        ArgumentNullException.ThrowIfNull(divisionCode6);
        ArgumentNullException.ThrowIfNull(organisationCode9);
        if (registrationAuthority2.Length != 2 || !registrationAuthority2.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw new ArgumentException("The registration authority must be 2 USCC characters.", nameof(registrationAuthority2));
        }

        if (divisionCode6.Length != 6 || !divisionCode6.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The division code must be 6 digits.", nameof(divisionCode6));
        }

        if (organisationCode9.Length != 9 || !organisationCode9.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw new ArgumentException("The organisation code must be 9 USCC characters.", nameof(organisationCode9));
        }

        if (OrganisationCodeCheckCharacter(organisationCode9[..8]) != organisationCode9[8])
        {
            throw new ArgumentException("The organisation code's GB 11714 check character is wrong.", nameof(organisationCode9));
        }

        var first17 = registrationAuthority2 + divisionCode6 + organisationCode9;
        return first17 + CheckCharacter(first17);
    }

    /// <summary>Computes the GB 32100 check character of the first 17 characters.</summary>
    /// <exception cref="ArgumentException">The input is not 17 characters of <see cref="Alphabet"/>.</exception>
    public static char CheckCharacter(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        if (first17.Length != 17)
        {
            throw new ArgumentException("Exactly 17 characters are needed.", nameof(first17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"Character {i + 1} ('{first17[i]}') is not a USCC character.", nameof(first17));
            }

            sum += value * Weights[i];
        }

        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }

    /// <summary>
    /// Computes the GB 11714 check character of an organisation code's first 8 characters (digits and
    /// upper-case letters, A = 10 … Z = 35): 11 - sum % 11, where 10 is 'X' and 11 is '0'.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not 8 digits or upper-case letters.</exception>
    public static char OrganisationCodeCheckCharacter(string first8)
    {
        ArgumentNullException.ThrowIfNull(first8);
        if (first8.Length != 8)
        {
            throw new ArgumentException("Exactly 8 characters are needed.", nameof(first8));
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            var c = first8[i];
            var value = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'Z' => c - 'A' + 10,
                _ => throw new ArgumentException($"Character {i + 1} ('{c}') is not a digit or upper-case letter.", nameof(first8)),
            };
            sum += value * OrganisationWeights[i];
        }

        return (11 - (sum % 11)) switch
        {
            10 => 'X',
            11 => '0',
            var digit => (char)('0' + digit),
        };
    }

    /// <summary>Tells whether a string is a well-formed USCC with correct GB 32100 and GB 11714 check characters.</summary>
    public static bool IsValid(string? uscc)
    {
        if (uscc is null || uscc.Length != 18 || !uscc.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            return false;
        }

        if (uscc.AsSpan(2, 6).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        return CheckCharacter(uscc[..17]) == uscc[17] && OrganisationCodeCheckCharacter(uscc[8..16]) == uscc[16];
    }
}
