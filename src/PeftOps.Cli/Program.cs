using PeftOps.Cli.Commands;

return await PeftOpsCli.RunAsync(args).ConfigureAwait(false);
