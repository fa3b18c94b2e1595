using Hikyaku.MxSim;

// Runs simulated providers until Ctrl+C / SIGTERM: `--config file.json` (see MxSimConfig), or the
// whole built-in catalog on free loopback ports accepting every address.
if (args is ["--help" or "-h", ..] || args.Length is not (0 or 2) || (args.Length == 2 && args[0] != "--config"))
{
    Console.WriteLine("""
        Hikyaku.MxSim — simulated mailbox providers on loopback.
        usage: Hikyaku.MxSim [--config <providers.json>]
          without --config: every built-in provider on 127.0.0.1, a free port each, every address accepted.
        """);
    return args is ["--help" or "-h", ..] ? 0 : 2;
}

await using var host = args.Length == 2
    ? await MxSimHost.StartAsync(MxSimConfig.Load(args[1]).ToOptions())
    : await MxSimHost.StartDefaultAsync();

foreach (var provider in host.Providers)
    Console.WriteLine($"{provider.Name,-10} {provider.Endpoint,-21} {provider.BehaviourFor(System.Net.IPAddress.Loopback),-16} {string.Join(' ', provider.Domains)}");

var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stopped.TrySetResult();
    });
await stopped.Task;
Console.WriteLine($"stopping: {host.Journal.AcceptedCount} accepted, {host.Journal.Rejected.Count} refused or dropped");
return 0;
