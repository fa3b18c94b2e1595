namespace Hikyaku.Grains;
