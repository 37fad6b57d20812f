using OneThing.Hub.Grpc;

namespace OneThing.Hub.Materials;

/// <summary>Registers the material store, use cases and the upload limits.</summary>
public static class MaterialServiceCollectionExtensions
{
    // One chunk of at most 64 KiB plus the message's own framing (oneof tag and length): the upload
    // service refuses any larger message, so one message never holds more than one chunk.
    private const int MaxUploadMessageBytes = MaterialOptions.MaxChunkBytes + 1024;

    /// <summary>
    /// Adds the materials part. <c>Materials:Root</c> defaults to a <c>materials</c> folder beside the
    /// SQLite database file, so one data directory holds everything the embedded hub keeps.
    /// </summary>
    public static IServiceCollection AddHubMaterials(this IServiceCollection services, IConfiguration configuration)
    {
        var defaultRoot = DefaultRoot(configuration);
        services.AddOptions<MaterialOptions>()
            .Configure(o => o.Root = defaultRoot)
            .Bind(configuration.GetSection("Materials"))
            .Validate(o => !o.Problems().Any(), "Materials options are invalid: check Materials:* (see MaterialOptions.Problems)")
            .ValidateOnStart();
        services.AddSingleton<MaterialUploadStatistics>();
        services.AddSingleton<IMaterialStore, FileSystemMaterialStore>();
        services.AddScoped<MaterialUseCases>();
        services.AddGrpc().AddServiceOptions<MaterialGrpcService>(o => o.MaxReceiveMessageSize = MaxUploadMessageBytes);
        return services;
    }

    private static string DefaultRoot(IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] is { Length: > 0 } p ? p.Trim().ToLowerInvariant() : "sqlite";
        if (provider == "sqlite")
        {
            var connectionString = configuration["Database:ConnectionString"] is { Length: > 0 } cs ? cs : "Data Source=data/onething.db";
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
            if (!string.IsNullOrEmpty(file) && file != ":memory:")
            {
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "materials");
            }
        }

        return Path.Combine("data", "materials");
    }
}
