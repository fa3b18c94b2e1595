namespace Hikyaku.Testing;

/// <summary>
/// Locates <c>../shared</c> beside the clone (CI lays it there). Tests that need it call
/// <see cref="RequireDirectory"/>, which skips the test with the reason when it is absent.
/// </summary>
public static class SharedCorpus
{
    public static string? FindSharedDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Silo.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                return Directory.Exists(shared) ? shared : null;
            }

            dir = dir.Parent;
        }

        return null;
    }

    public static string? BouncesDirectory
    {
        get
        {
            var shared = FindSharedDirectory();
            var bounces = shared is null ? null : Path.Combine(shared, "corpus", "bounces");
            return bounces is not null && Directory.Exists(bounces) ? bounces : null;
        }
    }

    /// <summary>The bounce corpus directory, or a skipped test that says why.</summary>
    public static string RequireBounces()
    {
        var dir = BouncesDirectory;
        Xunit.Skip.If(dir is null, "../shared/corpus/bounces is absent beside the clone; the corpus tests need it (CI lays ../shared beside the clone).");
        return dir!;
    }
}
