package io.meshcode.cli.verb;

import io.meshcode.cli.ExitCode;
import picocli.CommandLine.Command;

@Command(name = "hook", hidden = true, mixinStandardHelpOptions = true,
    subcommands = HookStopCommand.class,
    description = "Hooks editors run; meshcode setup installs them (Claude Code: stop).")
public final class HookCommand extends Verb {

  @Override
  public Integer call() {
    spec.commandLine().usage(out());
    return ExitCode.OK;
  }
}
