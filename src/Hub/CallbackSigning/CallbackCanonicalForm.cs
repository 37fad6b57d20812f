using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace OneThing.Hub.CallbackSigning;

/// <summary>
/// The canonical form of a request message, the part of a callback signature that covers the request
/// (specified in <c>protos/onething/hub/v1/callbacks.proto</c>). Built from the message's fields, not
/// from its wire bytes, so a gRPC client, an HTTP/JSON client and the hub arrive at the same text
/// whatever serializer each uses:
/// <list type="bullet">
/// <item>one line <c>path=value</c> per set leaf field, lines sorted by ordinal (byte) order and joined by LF, no trailing LF;</item>
/// <item>a path is the proto field names joined by <c>.</c>; a repeated element adds <c>[index]</c> (from 0), a map entry <c>[key]</c> (the key encoded as a value);</item>
/// <item>a singular scalar with its default value (empty string, 0, false, enum 0) is left out unless the field has explicit presence and is set; a map value and a repeated element are always written;</item>
/// <item>values: strings percent-encoded (every UTF-8 byte outside <c>A-Z a-z 0-9 - . _ ~</c> as <c>%XX</c>, upper-case hex), integers and enums as decimal numbers, bools as <c>true</c>/<c>false</c>, bytes as standard base64;</item>
/// <item>a nested message (e.g. <c>google.protobuf.Timestamp</c>) contributes its own fields under its path (<c>send_time.seconds</c>, <c>send_time.nanos</c>).</item>
/// </list>
/// </summary>
public static class CallbackCanonicalForm
{
    /// <summary>The canonical lines of <paramref name="message"/>, sorted, joined by LF.</summary>
    public static string Of(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lines = new List<string>();
        AddMessage(lines, string.Empty, message);
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>Percent-encodes UTF-8 text: every byte outside <c>A-Z a-z 0-9 - . _ ~</c> becomes <c>%XX</c> (upper-case hex).</summary>
    public static string Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static void AddMessage(List<string> lines, string prefix, IMessage message)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                var valueField = field.MessageType.FindFieldByNumber(2);
                foreach (System.Collections.DictionaryEntry entry in (System.Collections.IDictionary)value)
                {
                    AddValue(lines, $"{path}[{Scalar(entry.Key)}]", valueField, entry.Value);
                }
            }
            else if (field.IsRepeated)
            {
                var index = 0;
                foreach (var element in (System.Collections.IEnumerable)value)
                {
                    AddValue(lines, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]", field, element);
                    index++;
                }
            }
            else if (field.FieldType is FieldType.Message or FieldType.Group)
            {
                if (value is IMessage nested)
                {
                    AddMessage(lines, path + ".", nested);
                }
            }
            else if (field.HasPresence ? field.Accessor.HasValue(message) : !IsDefault(value))
            {
                lines.Add($"{path}={Scalar(value)}");
            }
        }
    }

    private static void AddValue(List<string> lines, string path, FieldDescriptor field, object? value)
    {
        if (field.FieldType is FieldType.Message or FieldType.Group)
        {
            if (value is IMessage nested)
            {
                AddMessage(lines, path + ".", nested);
            }
        }
        else
        {
            lines.Add($"{path}={Scalar(value)}");
        }
    }

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ByteString b => b.IsEmpty,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        uint u => u == 0,
        ulong u => u == 0,
        float f => f == 0,
        double d => d == 0,
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    private static string Scalar(object? value) => value switch
    {
        null => string.Empty,
        string s => Encode(s),
        ByteString b => b.ToBase64(),
        bool b => b ? "true" : "false",
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Encode(value.ToString() ?? string.Empty),
    };
}
