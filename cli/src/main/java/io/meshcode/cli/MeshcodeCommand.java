package io.meshcode.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meshcode} command. Each verb is its own {@code @Command} class, added as a subcommand. */
@Command(
    name = "meshcode",
    mixinStandardHelpOptions = true,
    versionProvider = MeshcodeCommand.Version.class,
    description = "Connects AI coding agents in different editors into one team.")
public final class MeshcodeCommand implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new MeshcodeCommand()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream in = MeshcodeCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      }
      return new String[] {"meshcode " + properties.getProperty("version", "unknown")};
    }
  }
}
