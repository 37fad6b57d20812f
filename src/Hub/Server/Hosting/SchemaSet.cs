using System.Text.Json.Nodes;
using Google.Api;
using Google.Protobuf.Reflection;

namespace OneThing.Hub.Hosting;

/// <summary>
/// OpenAPI schemas of protobuf messages in the proto3 JSON mapping, collected as components keyed by
/// the message's full name. Field names are the JSON names; OUTPUT_ONLY fields are read-only and
/// REQUIRED fields required (google.api.field_behavior).
/// </summary>
internal sealed class SchemaSet(ContractDocs docs)
{
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);

    /// <summary>The component schemas so far.</summary>
    public JsonObject Components { get; } = new();

    /// <summary>True for well-known types that the JSON mapping writes as one value, not an object.</summary>
    public static bool IsScalarLike(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" or "google.protobuf.Duration" or "google.protobuf.FieldMask" => true,
        "google.protobuf.StringValue" or "google.protobuf.BytesValue" or "google.protobuf.BoolValue" => true,
        "google.protobuf.Int32Value" or "google.protobuf.UInt32Value" or "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" => true,
        "google.protobuf.FloatValue" or "google.protobuf.DoubleValue" => true,
        _ => false,
    };

    /// <summary>A reference to the message's schema (adding it and what it uses).</summary>
    public JsonObject Ref(MessageDescriptor message) => WellKnown(message) ?? Reference(message);

    /// <summary>Adds the message's schema to the components.</summary>
    public void Add(MessageDescriptor message) => Reference(message);

    /// <summary>An object schema of the message with only <paramref name="fields"/> (a body without the path's fields).</summary>
    public JsonObject Inline(MessageDescriptor message, IEnumerable<FieldDescriptor> fields) => ObjectSchema(message, fields);

    /// <summary>The schema of one field's value (repeated and map fields included).</summary>
    public JsonObject ForField(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            var value = field.MessageType.FindFieldByNumber(2);
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Single(value) };
        }

        return field.IsRepeated ? new JsonObject { ["type"] = "array", ["items"] = Single(field) } : Single(field);
    }

    private JsonObject Reference(MessageDescriptor message)
    {
        if (_added.Add(message.FullName))
        {
            // Registered before it is built, so a message that contains itself refers to itself.
            Components[message.FullName] = message.FullName == "google.protobuf.Any" ? AnySchema() : ObjectSchema(message, message.Fields.InDeclarationOrder());
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + message.FullName };
    }

    private JsonObject ObjectSchema(MessageDescriptor message, IEnumerable<FieldDescriptor> fields)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var field in fields)
        {
            var schema = ForField(field);
            var behaviors = field.GetOptions()?.GetExtension(FieldBehaviorExtensions.FieldBehavior);
            if (behaviors?.Contains(FieldBehavior.OutputOnly) == true)
            {
                schema = Wrap(schema);
                schema["readOnly"] = true;
            }

            if (behaviors?.Contains(FieldBehavior.Required) == true)
            {
                required.Add(field.JsonName);
            }

            var comment = docs.Of(field);
            if (field.RealContainingOneof is { } oneof)
            {
                comment = (comment is null ? string.Empty : comment + "\n\n") +
                    $"One of `{oneof.Name}`: " + string.Join(", ", oneof.Fields.Select(f => "`" + f.JsonName + "`")) + " (at most one is set).";
            }

            schema = Wrap(schema);
            if (comment is not null && (string?)schema["description"] is { } own)
            {
                // An enum's schema lists its values; the field's comment goes first.
                comment += "\n\n" + own;
            }

            properties[field.JsonName] = HubOpenApiDocument.Describe(schema, comment);
        }

        var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0)
        {
            result["required"] = required;
        }

        return HubOpenApiDocument.Describe(result, docs.Of(message));
    }

    // OpenAPI 3.0 ignores siblings of $ref, so a reference that gets a description or readOnly is wrapped.
    private static JsonObject Wrap(JsonObject schema) =>
        schema.ContainsKey("$ref") ? new JsonObject { ["allOf"] = new JsonArray(schema) } : schema;

    private JsonObject Single(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => new JsonObject { ["type"] = "string" },
        FieldType.Bytes => new JsonObject { ["type"] = "string", ["format"] = "byte" },
        FieldType.Bool => new JsonObject { ["type"] = "boolean" },
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int32" },
        FieldType.UInt32 or FieldType.Fixed32 => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0 },
        // The JSON mapping writes 64-bit integers as strings (JavaScript numbers cannot hold them).
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => new JsonObject { ["type"] = "string", ["format"] = "int64" },
        FieldType.UInt64 or FieldType.Fixed64 => new JsonObject { ["type"] = "string", ["format"] = "uint64" },
        FieldType.Float => new JsonObject { ["type"] = "number", ["format"] = "float" },
        FieldType.Double => new JsonObject { ["type"] = "number", ["format"] = "double" },
        FieldType.Enum => EnumSchema(field.EnumType),
        FieldType.Message or FieldType.Group => Ref(field.MessageType),
        _ => new JsonObject(),
    };

    private JsonObject EnumSchema(EnumDescriptor type)
    {
        var values = new JsonArray();
        var lines = new List<string>();
        foreach (var value in type.Values)
        {
            values.Add(value.Name);
            if (docs.Of(value) is { } comment)
            {
                lines.Add($"- `{value.Name}`: {comment}");
            }
        }

        var schema = new JsonObject { ["type"] = "string", ["enum"] = values };
        return HubOpenApiDocument.Describe(schema, lines.Count > 0 ? string.Join("\n", lines) : null);
    }

    private static JsonObject AnySchema() => new()
    {
        ["type"] = "object",
        ["description"] = "A message of the type named by `@type`, with that message's fields beside it (for example type.googleapis.com/google.rpc.BadRequest).",
        ["properties"] = new JsonObject { ["@type"] = new JsonObject { ["type"] = "string" } },
        ["required"] = new JsonArray("@type"),
        ["additionalProperties"] = true,
    };

    private static JsonObject? WellKnown(MessageDescriptor message) => message.FullName switch
    {
        "google.protobuf.Timestamp" => new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "RFC 3339, UTC, e.g. 2026-05-01T08:00:00Z." },
        "google.protobuf.Duration" => new JsonObject { ["type"] = "string", ["pattern"] = @"^-?[0-9]+(\.[0-9]{1,9})?s$", ["description"] = "Seconds with an s suffix, e.g. 1.5s." },
        "google.protobuf.FieldMask" => new JsonObject { ["type"] = "string", ["description"] = "Comma-separated lowerCamelCase field paths." },
        "google.protobuf.Struct" => new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
        "google.protobuf.Value" => new JsonObject(),
        "google.protobuf.ListValue" => new JsonObject { ["type"] = "array", ["items"] = new JsonObject() },
        "google.protobuf.Empty" => new JsonObject { ["type"] = "object" },
        "google.protobuf.StringValue" => new JsonObject { ["type"] = "string", ["nullable"] = true },
        "google.protobuf.BytesValue" => new JsonObject { ["type"] = "string", ["format"] = "byte", ["nullable"] = true },
        "google.protobuf.BoolValue" => new JsonObject { ["type"] = "boolean", ["nullable"] = true },
        "google.protobuf.Int32Value" => new JsonObject { ["type"] = "integer", ["format"] = "int32", ["nullable"] = true },
        "google.protobuf.UInt32Value" => new JsonObject { ["type"] = "integer", ["format"] = "int64", ["minimum"] = 0, ["nullable"] = true },
        "google.protobuf.Int64Value" => new JsonObject { ["type"] = "string", ["format"] = "int64", ["nullable"] = true },
        "google.protobuf.UInt64Value" => new JsonObject { ["type"] = "string", ["format"] = "uint64", ["nullable"] = true },
        "google.protobuf.FloatValue" => new JsonObject { ["type"] = "number", ["format"] = "float", ["nullable"] = true },
        "google.protobuf.DoubleValue" => new JsonObject { ["type"] = "number", ["format"] = "double", ["nullable"] = true },
        _ => null,
    };
}
