using PeftOps.Cli;

return await PeftOpsCli.RunAsync(args).ConfigureAwait(false);
