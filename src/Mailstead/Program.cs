using Mailstead.Cli;

// Configuration overrides (--Mailstead:Section:Key=value) go to .NET configuration; the rest is the command.
var configurationArgs = args.Where(IsConfigurationArgument).ToArray();
var commandArgs = args.Where(a => !IsConfigurationArgument(a)).ToArray();
return await MailsteadCommands.Build(configurationArgs).Parse(commandArgs).InvokeAsync().ConfigureAwait(false);

static bool IsConfigurationArgument(string arg) => arg.StartsWith("--Mailstead:", StringComparison.OrdinalIgnoreCase);
