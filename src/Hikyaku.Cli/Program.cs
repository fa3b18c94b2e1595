using Hikyaku.Cli.Commands;

// hikyaku <command> [options]; see Commands/ for each command.
return args.Length > 0 && args[0] == "classify"
    ? ClassifyCommand.Run(args[1..], Console.Out, Console.Error)
    : Usage();

static int Usage()
{
    Console.Error.WriteLine("usage: hikyaku classify FILE.eml...  |  hikyaku classify --reply \"550 5.1.1 ...\" [--stage rcpt]");
    return 2;
}
