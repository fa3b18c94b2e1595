namespace Hikyaku.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An embedded silo whose body limits are small (16 KiB for JSON, 64 KiB for imports), so oversized bodies, chunked
/// or not, can be sent without megabytes of test data.
/// </summary>
public sealed class SmallLimitsSiloFixture : EmbeddedSiloFixture
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxImportBytes = 64 * 1024;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Hikyaku__Api__MaxBodyBytes"] = MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Hikyaku__Api__MaxImportBytes"] = MaxImportBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
