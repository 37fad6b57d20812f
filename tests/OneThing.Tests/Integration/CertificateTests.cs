using Grpc.Core;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Integration;

/// <summary>电子证照: the 就业创业证 a granted item issues is listed with its application, and anyone with its code can verify it.</summary>
public sealed class CertificateTests
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.Now);

    [Fact]
    public async Task EmploymentCertificate_IssuedListedAndVerifiedByCode_HolderMasked()
    {
        await using var sandbox = await HubSandbox.StartAsync().Within();
        var certificates = new CertificateService.CertificateServiceClient(sandbox.Invoker);
        var person = sandbox.Simulators.Population.Scenarios.Ready;
        var submitted = await sandbox.SubmitAsync(SampleApplications.Luoyang(person, Today));
        var done = await sandbox.WaitForCompletionAsync(submitted.Name);
        var item = done.Items.Single(i => i.ItemCode == "hr.employment-certificate");

        var list = await certificates.ListCertificatesAsync(new ListCertificatesRequest { Parent = submitted.Name }, Bounded.Options).Within();

        var certificate = Assert.Single(list.Certificates);
        Assert.Equal($"{submitted.Name}/certificates/hr.employment-certificate", certificate.Name);
        Assert.Equal("就业创业证", certificate.Title);
        Assert.Equal(item.Result["certificate_number"], certificate.Number);
        Assert.Equal(item.Result["verification_code"], certificate.VerificationCode);
        Assert.Equal(item.Result["issue_date"], certificate.IssueDate);
        Assert.Equal(person.Name[..1] + new string('*', person.Name.Length - 1), certificate.HolderName);
        Assert.Equal(person.IdNumber[..3] + new string('*', 11) + person.IdNumber[^4..], certificate.HolderIdNumber);

        var verified = await certificates.VerifyCertificateAsync(new VerifyCertificateRequest { VerificationCode = certificate.VerificationCode }, Bounded.Options).Within();
        Assert.Equal((certificate.Number, certificate.HolderName, certificate.Issuer), (verified.Number, verified.HolderName, verified.Issuer));
        Assert.Empty(verified.VerificationCode);

        var forged = await RichErrors.FailureOf(() => certificates.VerifyCertificateAsync(new VerifyCertificateRequest { VerificationCode = "FORGED-0000" }, Bounded.Options).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "CERTIFICATE_NOT_FOUND"), (forged.Code, forged.Info.Reason));
        var empty = await RichErrors.FailureOf(() => certificates.VerifyCertificateAsync(new VerifyCertificateRequest(), Bounded.Options).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, empty.Code);
        Assert.Contains(empty.Violations, v => v.Field == "verification_code");
    }
}
