using System.Security.Cryptography;
using System.Text;

namespace Hikyaku.Silo.Hosting;

/// <summary>
/// The admin bearer key: from configuration, or generated at first start and kept in <c>{DataDir}/admin.key</c>
/// (readable by the owner only). Printed once, when generated; never logged.
/// </summary>
public sealed class AdminKeyStore
{
    private readonly byte[] _key;

    private AdminKeyStore(string key) => _key = Encoding.UTF8.GetBytes(key);

    /// <summary>True when this start generated the key (so the host prints it once).</summary>
    public bool Generated { get; private init; }

    public string? KeyFile { get; private init; }

    public static AdminKeyStore Load(HikyakuOptions options)
    {
        if (!string.IsNullOrEmpty(options.AdminKey))
        {
            return new AdminKeyStore(options.AdminKey);
        }

        Directory.CreateDirectory(options.DataDir);
        var file = Path.GetFullPath(Path.Combine(options.DataDir, "admin.key"));
        if (File.Exists(file))
        {
            return new AdminKeyStore(File.ReadAllText(file).Trim()) { KeyFile = file };
        }

        var key = "hkadmin." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(file, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new AdminKeyStore(key) { Generated = true, KeyFile = file };
    }

    /// <summary>The key itself, only for printing it once at first start.</summary>
    public string Reveal() => Encoding.UTF8.GetString(_key);

    public bool Matches(string candidate) =>
        CryptographicOperations.FixedTimeEquals(_key, Encoding.UTF8.GetBytes(candidate));
}
