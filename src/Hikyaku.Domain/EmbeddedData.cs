namespace Hikyaku.Domain;

/// <summary>The data files shipped inside this assembly (catalogs, rules, curves), read by their path in the project.</summary>
internal static class EmbeddedData
{
    /// <summary>The text of <paramref name="path"/> (e.g. <c>Sites/block-rules.json</c>); a missing file is a broken build.</summary>
    public static string Read(string path)
    {
        var name = "Hikyaku.Domain." + path.Replace('/', '.');
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded {path} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
