package io.meshcode.cli;

import io.meshcode.cli.verb.BoardCommand;
import io.meshcode.cli.verb.DashboardCommand;
import io.meshcode.cli.verb.GoCommand;
import io.meshcode.cli.verb.HookCommand;
import io.meshcode.cli.verb.InviteCommand;
import io.meshcode.cli.verb.InvitesCommand;
import io.meshcode.cli.verb.JoinCommand;
import io.meshcode.cli.verb.LoginCommand;
import io.meshcode.cli.verb.LogoutCommand;
import io.meshcode.cli.verb.McpCommand;
import io.meshcode.cli.verb.MembersCommand;
import io.meshcode.cli.verb.ProjectsCommand;
import io.meshcode.cli.verb.ReadCommand;
import io.meshcode.cli.verb.RevokeInviteCommand;
import io.meshcode.cli.verb.RevokeMemberCommand;
import io.meshcode.cli.verb.RunCommand;
import io.meshcode.cli.verb.SendCommand;
import io.meshcode.cli.verb.SetupCommand;
import io.meshcode.cli.verb.StatusCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code meshcode} command. Each verb is its own {@code @Command} class, added as a subcommand. */
@Command(
    name = "meshcode",
    mixinStandardHelpOptions = true,
    versionProvider = MeshcodeCommand.Version.class,
    description = {
        "Connects AI coding agents in different editors into one team.",
        "Start with: meshcode login <key>, then meshcode go <agent>."},
    subcommands = {
        LoginCommand.class, LogoutCommand.class, StatusCommand.class,
        GoCommand.class, SetupCommand.class, RunCommand.class,
        ProjectsCommand.class, BoardCommand.class,
        InviteCommand.class, JoinCommand.class, InvitesCommand.class, MembersCommand.class,
        RevokeInviteCommand.class, RevokeMemberCommand.class,
        SendCommand.class, ReadCommand.class,
        McpCommand.class, DashboardCommand.class, HookCommand.class,
        CommandLine.HelpCommand.class},
    commandListHeading = "%nVerbs:%n",
    exitCodeListHeading = "%nExit codes:%n",
    footer = {"%nEnvironment: MESHCODE_SERVER, MESHCODE_API_KEY, MESHCODE_HOME, MESHCODE_EDITOR (docs/CLI.md)."})
public final class MeshcodeCommand implements Callable<Integer> {

  @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "The MeshCode server (default: $MESHCODE_SERVER, else the one login stored, else " + Session.DEFAULT_SERVER + ").")
  private String server;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  private final Environment env;
  private final InputStream in;
  private Session session;

  MeshcodeCommand(Environment env, InputStream in) {
    this.env = env;
    this.in = in;
  }

  public static void main(String[] args) {
    int exit = run(args);
    System.exit(exit);
  }

  /** Runs on this process: its environment, stdin, stdout and stderr. */
  public static int run(String... args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return run(Environment.system(), System.in, out, err, args);
  }

  /** Runs with the environment and streams given: how the tests run every verb in-process. */
  public static int run(Environment env, InputStream in, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new MeshcodeCommand(env, in));
    cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.descriptions());
    ErrorHandling errors = new ErrorHandling(env);
    cli.setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors)
        .setExitCodeExceptionMapper(errors);
    int exit = cli.execute(args);
    out.flush();
    err.flush();
    return exit;
  }

  public Environment env() {
    return env;
  }

  public InputStream in() {
    return in;
  }

  /** This run's session: the server and keys every verb uses. */
  public Session session() {
    if (session == null) {
      session = new Session(env, server);
    }
    return session;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return ExitCode.OK;
  }

  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = MeshcodeCommand.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException ignored) {
      // "unknown" below
    }
    return properties.getProperty("version", "unknown");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"meshcode " + version()};
    }
  }
}
