using PeftOps.Cli;
using PeftOps.Cli.Commands;

OpenMpWaiting.SetDefault(); // before libtorch loads
var signals = TerminationSignals.Listen();
return await PeftOpsCli.RunAsync(PeftOpsCli.CreateRoot(), args, signals).ConfigureAwait(false);
