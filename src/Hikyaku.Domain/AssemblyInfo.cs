namespace Hikyaku.Domain;
