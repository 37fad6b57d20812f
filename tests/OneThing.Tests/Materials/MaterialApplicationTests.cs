using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneThing.Hub.Catalog;
using OneThing.Hub.Materials;
using OneThing.Hub.Persistence;
using OneThing.Hub.V1;
using OneThing.Sandbox;
using OneThing.Tests.Support;

namespace OneThing.Tests.Materials;

/// <summary>One set of materials for the whole application, through the hub with <c>Materials:RequireUploads</c> on.</summary>
public sealed class MaterialApplicationTests
{
    private static readonly Dictionary<string, string?> RequireUploads = new() { ["Materials:RequireUploads"] = "true" };

    [Fact]
    public async Task Validate_MissingMaterials_MaterialRequiredTogetherWithTheOtherViolations()
    {
        await using var sandbox = await HubSandbox.StartAsync(RequireUploads).Within();
        var application = SampleApplications.Baotou(sandbox.Simulators.Population.Scenarios.BaotouReady, sandbox.Today);
        application.Applicant.Mobile = "123";

        var (code, info, violations) = await RichErrors.FailureOf(() =>
            sandbox.Applications.ValidateApplicationAsync(new ValidateApplicationRequest { Application = application }, Bounded.Options).Within());

        Assert.Equal((StatusCode.InvalidArgument, "APPLICATION_INVALID"), (code, info.Reason));
        Assert.Contains(violations, v => v.Field == "applicant.mobile");
        var required = violations.Where(v => v.Reason == "MATERIAL_REQUIRED").ToList();
        Assert.Equal(["materials[bank-loan-documents]", "materials[startup-evidence]"], required.Select(v => v.Field));
        Assert.Contains("银行贷款所需资料", required[0].Description, StringComparison.Ordinal);
        Assert.DoesNotContain(violations, v => v.Field == "materials[id-document]"); // fetched through data sharing

        // Uploaded, but attached under the wrong code: refused for that, and the other is still missing.
        var evidence = await sandbox.Materials.UploadAsync(SampleApplications.BaotouTheme, "startup-evidence", "佐证.pdf", TestFiles.Pdf("evidence"));
        application.Applicant.Mobile = sandbox.Simulators.Population.Scenarios.BaotouReady.Mobile;
        application.Materials.Add(new AttachedMaterial { Code = "bank-loan-documents", Material = evidence.Name });
        var wrong = await RichErrors.FailureOf(() => sandbox.SubmitAsync(application));
        Assert.Equal(
            [("materials[bank-loan-documents]", "MATERIAL_CODE_MISMATCH"), ("materials[startup-evidence]", "MATERIAL_REQUIRED")],
            wrong.Violations.Select(v => (v.Field, v.Reason)));

        // Both attached: the application goes through.
        var loan = await sandbox.Materials.UploadAsync(SampleApplications.BaotouTheme, "bank-loan-documents", "贷款.pdf", TestFiles.Pdf("loan"));
        application.Materials.Clear();
        application.Materials.Add([
            new AttachedMaterial { Code = "bank-loan-documents", Material = loan.Name },
            new AttachedMaterial { Code = "startup-evidence", Material = evidence.Name },
        ]);
        var submitted = await sandbox.SubmitAsync(application);
        Assert.Equal(Application.Types.State.InProgress, submitted.State);
        Assert.Equal(application.Materials, submitted.Materials);
    }

    [Fact]
    public async Task Submit_MaterialSharedByFourItems_UploadedOnce_EveryItemsSubmissionReferencesIt()
    {
        await using var sandbox = await HubSandbox.StartAsync(RequireUploads).Within();
        var form = TestFiles.Pdf("联办申请表");
        var uploaded = await sandbox.Materials.UploadAsync(SampleApplications.LuoyangTheme, "joint-application-form", "联办申请表.pdf", form, "application/pdf");
        var application = SampleApplications.Luoyang(sandbox.Simulators.Population.Scenarios.Ready, sandbox.Today);
        application.Materials.Add(new AttachedMaterial { Code = "joint-application-form", Material = uploaded.Name });

        var submitted = await sandbox.SubmitAsync(application);

        Assert.Single(submitted.Materials);
        await using var scope = sandbox.HubServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var stored = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == submitted.Name.Substring("applications/".Length), TestContext.Current.CancellationToken).Within();
        var theme = scope.ServiceProvider.GetRequiredService<CatalogSnapshot>().Latest("luoyang.personal-startup");
        var store = scope.ServiceProvider.GetRequiredService<IMaterialStore>();
        var needing = new[] { "market.licence-verification", "tax.taxpayer-confirmation", "hr.employment-certificate", "si.flexible-pension-registration", "hr.startup-subsidy" };
        foreach (var item in needing)
        {
            var material = Assert.Single(MaterialUseCases.ForSubmission(theme, stored.Content, item, store));
            Assert.Equal(("joint-application-form", uploaded.Sha256, "application/pdf", (long)form.Length), (material.Code, material.Sha256, material.MediaType, material.SizeBytes));
            await using var bytes = await material.OpenRead(TestContext.Current.CancellationToken).Within();
            using var copy = new MemoryStream();
            await bytes.CopyToAsync(copy, TestContext.Current.CancellationToken).Within();
            Assert.Equal(form, copy.ToArray());
        }

        Assert.Empty(MaterialUseCases.ForSubmission(theme, stored.Content, "sscard.card-application", store));
        Assert.Equal(1, await db.Materials.CountAsync(TestContext.Current.CancellationToken).Within());
    }
}
