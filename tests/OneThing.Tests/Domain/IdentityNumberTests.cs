using OneThing.Hub.Domain.Validation;

namespace OneThing.Tests.Domain;

public sealed class IdentityNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    // Published examples with correct check characters (GB 11643 and GB 32100).
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("410302199003071231")]
    public void ResidentIdCheck_PublishedExample_Valid(string id) =>
        Assert.Equal(IdNumberCheck.Valid, ResidentIdNumber.Check(id, Today));

    [Fact]
    public void ResidentIdCheck_EverySingleCharacterCorruption_Fails()
    {
        const string id = "11010519491231002X";
        for (var i = 0; i < id.Length; i++)
        {
            foreach (var c in "0123456789X")
            {
                if (c == id[i])
                {
                    continue;
                }

                var corrupted = id[..i] + c + id[(i + 1)..];
                Assert.NotEqual(IdNumberCheck.Valid, ResidentIdNumber.Check(corrupted, Today));
            }
        }
    }

    [Theory]
    [InlineData("", IdNumberCheck.Missing)]
    [InlineData("1101051949123100", IdNumberCheck.WrongLength)]
    [InlineData("11010519491231002Y", IdNumberCheck.BadCharacters)]
    [InlineData("00010519491231002X", IdNumberCheck.UnknownRegion)]
    [InlineData("110105194913310025", IdNumberCheck.BadBirthDate)]
    [InlineData("110105203012310027", IdNumberCheck.BadBirthDate)]
    [InlineData("110105194912310021", IdNumberCheck.WrongCheckCharacter)]
    public void ResidentIdCheck_Malformed_SaysWhy(string id, IdNumberCheck expected) =>
        Assert.Equal(expected, ResidentIdNumber.Check(id, Today));

    [Fact]
    public void ResidentIdCheck_SimulatorGeneratedNumbers_AllValid()
    {
        var population = OneThing.Simulators.SyntheticPopulation.Create(300, 7, Today);
        Assert.All(population.People, p => Assert.Equal(IdNumberCheck.Valid, ResidentIdNumber.Check(p.IdNumber, Today)));
        Assert.All(population.People, p => Assert.True(UnifiedSocialCreditCode.IsValid(p.LicenceUscc), p.LicenceUscc));
    }

    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000802100433B")]
    public void UsccIsValid_PublishedExample_True(string uscc) => Assert.True(UnifiedSocialCreditCode.IsValid(uscc));

    [Fact]
    public void UsccIsValid_EverySingleCharacterCorruption_False()
    {
        const string uscc = "91350100M000100Y43";
        for (var i = 0; i < uscc.Length; i++)
        {
            foreach (var c in UnifiedSocialCreditCode.Alphabet + "IOSVZ")
            {
                if (c == uscc[i])
                {
                    continue;
                }

                Assert.False(UnifiedSocialCreditCode.IsValid(uscc[..i] + c + uscc[(i + 1)..]), $"corruption at {i} to {c} passed");
            }
        }
    }
}
