using PeftOps.Cli;
using PeftOps.Cli.Commands;

var signals = TerminationSignals.Listen();
return await PeftOpsCli.RunAsync(PeftOpsCli.CreateRoot(), args, signals).ConfigureAwait(false);
