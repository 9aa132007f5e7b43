using EdgeVoice.Cli;

return EdgeVoiceCli.Run(args, CliConsole.FromProcess());
