namespace Hikyaku.Bounces;
