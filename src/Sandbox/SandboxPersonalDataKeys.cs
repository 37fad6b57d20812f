using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using OneThing.Hub.Security;

namespace OneThing.Sandbox;

/// <summary>
/// DEVELOPMENT personal-data keys for the sandbox, the tests and the benchmarks, never for production
/// (there, Security:PersonalData comes from the deployment's secret store). For a SQLite file they are
/// made once, at random, and kept beside it as <c>{database}.dev-keys.json</c>, so a hub restarted on
/// the same file opens what it sealed before; for a server database or an in-memory one they are made
/// once per process and per connection string.
/// </summary>
public static class SandboxPersonalDataKeys
{
    /// <summary>The id of the development key.</summary>
    public const string KeyId = "dev-1";

    /// <summary>The suffix of the key file beside a SQLite database.</summary>
    public const string FileSuffix = ".dev-keys.json";

    private static readonly ConcurrentDictionary<string, DevelopmentKeys> InProcess = new(StringComparer.Ordinal);
    private static readonly Lock FileGate = new();

    /// <summary>Adds the development keys for <paramref name="connectionString"/> to <paramref name="settings"/> and returns them.</summary>
    public static Dictionary<string, string?> Merge(string connectionString, Dictionary<string, string?> settings)
    {
        foreach (var (key, value) in Settings(connectionString))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The <c>Security:PersonalData</c> settings with the development keys for <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string> Settings(string connectionString)
    {
        var (keys, predatesSealing) = For(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{PersonalDataOptions.Section}:ActiveKey"] = KeyId,
            [$"{PersonalDataOptions.Section}:Keys:{KeyId}:Algorithm"] = "A256GCM",
            [$"{PersonalDataOptions.Section}:Keys:{KeyId}:Key"] = keys.Key,
            [$"{PersonalDataOptions.Section}:IndexKey"] = keys.IndexKey,
        };

        // A sandbox database older than sealing holds clear values: read them (the re-seal routine seals them).
        if (predatesSealing)
        {
            settings[$"{PersonalDataOptions.Section}:ReadUnsealed"] = "true";
        }

        return settings;
    }

    /// <summary>A protector with the same development keys the hub gets for <paramref name="connectionString"/> (for tools and tests that open the database themselves).</summary>
    public static PersonalDataProtector Protector(string connectionString)
    {
        var (keys, _) = For(connectionString);
        return new PersonalDataProtector(
            [new PersonalDataKey(KeyId, "A256GCM", Convert.FromBase64String(keys.Key))], KeyId, Convert.FromBase64String(keys.IndexKey));
    }

    private static (DevelopmentKeys Keys, bool PredatesSealing) For(string connectionString)
    {
        if (SqliteFile(connectionString) is not { } database)
        {
            return (InProcess.GetOrAdd(connectionString, _ => DevelopmentKeys.New()), false);
        }

        var file = database + FileSuffix;
        lock (FileGate)
        {
            if (File.Exists(file))
            {
                return (JsonSerializer.Deserialize<DevelopmentKeys>(File.ReadAllText(file)) ?? throw new InvalidDataException($"{file} is empty"), false);
            }

            var predatesSealing = File.Exists(database);
            var keys = DevelopmentKeys.New();
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(file, options);
                JsonSerializer.Serialize(stream, keys);
            }
            catch (IOException) when (File.Exists(file))
            {
                // Another process made them first: use theirs.
                return (JsonSerializer.Deserialize<DevelopmentKeys>(File.ReadAllText(file))!, false);
            }

            return (keys, predatesSealing);
        }
    }

    /// <summary>The SQLite file's full path, or null for anything else (a server, an in-memory database).</summary>
    private static string? SqliteFile(string connectionString)
    {
        if (!connectionString.Contains("Data Source", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("DataSource", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("Filename", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
                ? null
                : Path.GetFullPath(builder.DataSource);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>One development key and the blind-index key, base64.</summary>
    private sealed record DevelopmentKeys(string Key, string IndexKey)
    {
        public static DevelopmentKeys New() =>
            new(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
    }
}
