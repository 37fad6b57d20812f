using OneThing.Tests.Support;

namespace OneThing.Tests.Conformance;

/// <summary>`dotnet new onething-adapter` produces a clean project that builds against the repository's Abstractions.</summary>
public sealed class DepartmentAdapterTemplateTests
{
    [Fact]
    public async Task Template_InstantiatedOutsideTheRepository_BuildsWithoutStubs()
    {
        var work = Directory.CreateTempSubdirectory("onething-template-");
        try
        {
            var hive = Path.Combine(work.FullName, "hive");
            var project = Path.Combine(work.FullName, "Acme.TaxAdapter");
            var abstractions = Path.Combine(RepositoryTools.Root, "src", "Adapters", "Abstractions", "OneThing.Adapters.Abstractions.csproj");

            await DotnetAsync(work.FullName, TimeSpan.FromMinutes(2), "new", "install", Path.Combine(RepositoryTools.Root, "templates", "department-adapter"), "--debug:custom-hive", hive);
            await DotnetAsync(
                work.FullName,
                TimeSpan.FromMinutes(2),
                "new", "onething-adapter", "-n", "Acme.TaxAdapter", "-o", project, "--department", "Tax", "--abstractions", abstractions, "--debug:custom-hive", hive);

            var files = Directory.GetFiles(project, "*", SearchOption.AllDirectories);
            Assert.Equal(
                new[] { "Acme.TaxAdapter.csproj", "NativeApi.cs", "README.md", "TaxAdapter.cs", "TaxAdapterOptions.cs", "TaxResilience.cs" },
                files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var file in files)
            {
                var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken).Within();
                foreach (var banned in new[] { "TODO", "FIXME", "NotImplementedException", "TemplateDepartment", "Contoso", "ABSTRACTIONS_PROJECT_PATH" })
                {
                    Assert.False(text.Contains(banned, StringComparison.Ordinal), $"{Path.GetFileName(file)} contains '{banned}'.");
                }
            }

            Assert.Contains(abstractions, await File.ReadAllTextAsync(Path.Combine(project, "Acme.TaxAdapter.csproj"), TestContext.Current.CancellationToken).Within(), StringComparison.Ordinal);
            Assert.Contains("public Department Department => Department.Tax;", await File.ReadAllTextAsync(Path.Combine(project, "TaxAdapter.cs"), TestContext.Current.CancellationToken).Within(), StringComparison.Ordinal);

            await DotnetAsync(work.FullName, TimeSpan.FromMinutes(5), "build", project, "-nodeReuse:false", "-v", "q");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task DotnetAsync(string workingDirectory, TimeSpan bound, params string[] arguments)
    {
        var (exitCode, output) = await RepositoryTools.RunAsync("dotnet", arguments, workingDirectory, bound);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} failed with exit code {exitCode}:\n{output}");
    }
}
