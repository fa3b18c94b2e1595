namespace Hikyaku.Contracts;
