namespace Hikyaku.Dns.Tests;

/// <summary>The zone the resolver tests share: every case a name, documented by what it answers.</summary>
internal static class TestZones
{
    public const string Mail = """
        test.               3600 IN SOA  ns.test. hostmaster.test. 1 3600 600 86400 60
        ; three MX hosts, listed out of order; mx2's address has the smallest TTL
        multi.test.          300 IN MX   20 mx2.multi.test.
        multi.test.          300 IN MX   10 mx1.multi.test.
        multi.test.          300 IN MX   30 mx3.multi.test.
        mx1.multi.test.      300 IN A    192.0.2.1
        mx1.multi.test.      300 IN AAAA 2001:db8::1
        mx2.multi.test.      120 IN A    192.0.2.2
        mx3.multi.test.      300 IN A    192.0.2.3
        ; no MX: the domain's own address is the mail host
        implicit.test.       300 IN A    192.0.2.10
        ; RFC 7505 null MX
        nullmx.test.         300 IN MX   0 .
        ; exists (a child has records) but has neither MX nor address
        sub.empty.test.      300 IN A    192.0.2.99
        ; MX pointing at a name that does not exist
        dangling.test.       300 IN MX   10 gone.dangling.test.
        ; MX whose host's name server is broken, and one that always fails, and one that never answers
        flaky.test.          300 IN MX   10 broken.test.
        broken.test. SERVFAIL
        refused.test. REFUSED
        silent.test. DROP
        ; a one-second TTL, below any sensible cache minimum
        short.test.            1 IN MX   10 mx1.multi.test.
        """;
}
