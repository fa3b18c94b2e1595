namespace Hikyaku.Hosting;
