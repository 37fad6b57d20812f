using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace OneThing.Hub.Hosting;

/// <summary>
/// The comments of the hub's .proto files, as protoc wrote them into the generated C# (the XML
/// documentation file built beside the contracts assembly), looked up by protobuf descriptor.
/// </summary>
public sealed class ContractDocs
{
    private readonly Dictionary<string, string> _members;

    private ContractDocs(Dictionary<string, string> members) => _members = members;

    /// <summary>No comments (the XML documentation file was not found).</summary>
    public static ContractDocs Empty { get; } = new([]);

    /// <summary>Reads the XML documentation file beside <paramref name="contracts"/>; empty when there is none.</summary>
    public static ContractDocs For(Assembly contracts)
    {
        var file = Path.ChangeExtension(contracts.Location, ".xml");
        if (string.IsNullOrEmpty(contracts.Location) || !File.Exists(file))
        {
            return Empty;
        }

        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in XDocument.Load(file).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
            {
                members[name] = Normalize(summary.Value);
            }
        }

        return new ContractDocs(members);
    }

    /// <summary>The comment of a message.</summary>
    public string? Of(MessageDescriptor message) => message.ClrType is { } type ? Get("T:" + ClrName(type)) : null;

    /// <summary>The comment of a field.</summary>
    public string? Of(FieldDescriptor field) =>
        field.ContainingType.ClrType is { } type ? Get("P:" + ClrName(type) + "." + field.PropertyName) : null;

    /// <summary>The comment of a service.</summary>
    public string? Of(ServiceDescriptor service) => Get("T:" + Namespace(service.File) + service.Name);

    /// <summary>The comment of a method (on the generated server base class).</summary>
    public string? Of(MethodDescriptor method)
    {
        var prefix = $"M:{Namespace(method.File)}{method.Service.Name}.{method.Service.Name}Base.{method.Name}(";
        return _members.FirstOrDefault(m => m.Key.StartsWith(prefix, StringComparison.Ordinal)).Value;
    }

    /// <summary>The comment of an enum value.</summary>
    public string? Of(EnumValueDescriptor value)
    {
        var type = value.EnumDescriptor.ClrType;
        if (type is null)
        {
            return null;
        }

        // The C# member carries the proto name in [OriginalName]; the XML names the C# member.
        var member = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(f => f.GetCustomAttribute<Google.Protobuf.Reflection.OriginalNameAttribute>()?.Name == value.Name);
        return member is null ? null : Get($"F:{ClrName(type)}.{member.Name}");
    }

    private string? Get(string member) => _members.TryGetValue(member, out var text) && text.Length > 0 ? text : null;

    private static string Namespace(FileDescriptor file) =>
        file.GetOptions()?.CsharpNamespace is { Length: > 0 } ns ? ns + "." : string.Empty;

    private static string ClrName(Type type) => type.FullName!.Replace('+', '.');

    // protoc writes one comment line per XML line: lines join into paragraphs, blank lines separate them.
    private static string Normalize(string text)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (current.Length > 0)
                {
                    paragraphs.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(line);
        }

        if (current.Length > 0)
        {
            paragraphs.Add(current.ToString());
        }

        return string.Join("\n\n", paragraphs);
    }
}
