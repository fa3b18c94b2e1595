using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Hikyaku.Hosting.Tests")]
