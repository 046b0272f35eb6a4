using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Karibu.Features.Assistant.Tools;

/// <summary>
/// Tool arguments on the wire: snake_case JSON read into typed records. The JSON schema each model sees
/// is generated from the same record (and its <see cref="DescriptionAttribute"/>s), so what is offered
/// and what is accepted cannot drift apart.
/// </summary>
internal static class ToolSchema
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSchemaExporterOptions Exporter = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Describe,
    };

    /// <summary>The JSON schema of a tool's argument record: an object with its properties, required ones listed.</summary>
    public static JsonElement For(Type arguments)
    {
        var node = Json.GetJsonSchemaAsNode(arguments, Exporter);
        if (node is JsonObject schema)
        {
            // Some servers insist on "properties" even for a tool without arguments.
            schema["properties"] ??= new JsonObject();
            schema.Remove("$schema");
        }

        return JsonSerializer.SerializeToElement(node, Json);
    }

    /// <summary>Copies [Description] from the property, its constructor parameter or the type into the schema.</summary>
    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        var attributes = context.PropertyInfo is { } property
            ? property.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true)
                .Concat(property.AssociatedParameter?.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true) ?? [])
            : context.TypeInfo.Type.GetCustomAttributes<DescriptionAttribute>(inherit: true);
        var description = attributes?.OfType<DescriptionAttribute>().FirstOrDefault()?.Description;
        if (description is not null && schema is JsonObject obj)
        {
            obj.Insert(0, "description", description);
        }

        return schema;
    }
}
