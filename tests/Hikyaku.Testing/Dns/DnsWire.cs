using System.Buffers.Binary;
using System.Net;

namespace Hikyaku.Testing.Dns;

/// <summary>Just enough of the RFC 1035 wire format to read a query and write an answer.</summary>
public static class DnsWire
{
    public const int NoError = 0, ServFail = 2, NxDomain = 3, Refused = 5;

    public sealed record Question(ushort Id, ushort Flags, string Name, ushort Type, byte[] Raw);

    public static Question ReadQuestion(byte[] packet)
    {
        var labels = new List<string>();
        var at = 12;
        while (packet[at] != 0)
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(packet, at + 1, packet[at]));
            at += packet[at] + 1;
        }
        var end = at + 1 + 4;
        return new Question(
            BinaryPrimitives.ReadUInt16BigEndian(packet),
            BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)),
            ZoneText.Name(string.Join('.', labels)),
            BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(at + 1)),
            packet[12..end]);
    }

    public static byte[] WriteResponse(Question q, int rcode, IReadOnlyList<ZoneRecord> answers, IReadOnlyList<ZoneRecord> authority)
    {
        var output = new List<byte>();
        // QR, the query's opcode and RD, AA and RA, the response code.
        var flags = (ushort)(0x8000 | (q.Flags & 0x7900) | 0x0400 | 0x0080 | rcode);
        foreach (var value in new[] { q.Id, flags, (ushort)1, (ushort)answers.Count, (ushort)authority.Count, (ushort)0 })
        {
            UInt16(output, value);
        }
        output.AddRange(q.Raw);
        foreach (var record in answers.Concat(authority))
        {
            WriteName(output, record.Owner);
            UInt16(output, record.Type);
            UInt16(output, 1);
            UInt32(output, record.Ttl);
            var data = RData(record);
            UInt16(output, (ushort)data.Count);
            output.AddRange(data);
        }
        return [.. output];
    }

    private static List<byte> RData(ZoneRecord record)
    {
        var data = new List<byte>();
        switch (record.Type)
        {
            case ZoneText.A or ZoneText.Aaaa:
                data.AddRange(IPAddress.Parse(record.Data[0]).GetAddressBytes());
                break;
            case ZoneText.Mx:
                UInt16(data, ushort.Parse(record.Data[0]));
                WriteName(data, ZoneText.Name(record.Data[1]));
                break;
            case ZoneText.Cname:
                WriteName(data, ZoneText.Name(record.Data[0]));
                break;
            case ZoneText.Soa:
                WriteName(data, ZoneText.Name(record.Data[0]));
                WriteName(data, ZoneText.Name(record.Data[1]));
                foreach (var number in record.Data[2..7])
                {
                    UInt32(data, uint.Parse(number));
                }
                break;
        }
        return data;
    }

    private static void WriteName(List<byte> output, string name)
    {
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            output.Add((byte)label.Length);
            output.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        output.Add(0);
    }

    private static void UInt16(List<byte> output, ushort value) => output.AddRange([(byte)(value >> 8), (byte)value]);

    private static void UInt32(List<byte> output, uint value) => output.AddRange([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
