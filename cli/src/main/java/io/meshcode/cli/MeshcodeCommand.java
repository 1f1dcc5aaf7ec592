package io.meshcode.cli;

import io.meshcode.cli.editor.Workspace;
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
import io.meshcode.cli.verb.RemoveAgentCommand;
import io.meshcode.cli.verb.RevokeMemberCommand;
import io.meshcode.cli.verb.RunCommand;
import io.meshcode.cli.verb.SendCommand;
import io.meshcode.cli.verb.SetupCommand;
import io.meshcode.cli.verb.StatusCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    commandListHeading = "%nVerbs:%n",
    exitCodeListHeading = "%nExit codes:%n",
    footer = {"%nEnvironment: MESHCODE_SERVER, MESHCODE_API_KEY, MESHCODE_HOME, MESHCODE_EDITOR (docs/CLI.md)."})
public final class MeshcodeCommand implements Callable<Integer> {

  /** Every verb, in the order the usage lists them. */
  static final List<Class<?>> VERBS = List.of(
      LoginCommand.class, LogoutCommand.class, StatusCommand.class,
      GoCommand.class, SetupCommand.class, RunCommand.class,
      ProjectsCommand.class, BoardCommand.class,
      InviteCommand.class, JoinCommand.class, InvitesCommand.class, MembersCommand.class,
      RevokeInviteCommand.class, RevokeMemberCommand.class, RemoveAgentCommand.class,
      SendCommand.class, ReadCommand.class,
      McpCommand.class, DashboardCommand.class, HookCommand.class,
      CommandLine.HelpCommand.class);

  /** Each verb's names (a test checks them against the annotations), so a run reads only its own verb's. */
  static final Map<String, Class<?>> BY_NAME = Map.ofEntries(
      Map.entry("login", LoginCommand.class), Map.entry("logout", LogoutCommand.class),
      Map.entry("status", StatusCommand.class), Map.entry("go", GoCommand.class), Map.entry("setup", SetupCommand.class),
      Map.entry("run", RunCommand.class), Map.entry("projects", ProjectsCommand.class), Map.entry("list", ProjectsCommand.class),
      Map.entry("ls", ProjectsCommand.class), Map.entry("board", BoardCommand.class), Map.entry("invite", InviteCommand.class),
      Map.entry("join", JoinCommand.class), Map.entry("invites", InvitesCommand.class), Map.entry("members", MembersCommand.class),
      Map.entry("revoke-invite", RevokeInviteCommand.class), Map.entry("revoke-member", RevokeMemberCommand.class),
      Map.entry("remove-agent", RemoveAgentCommand.class),
      Map.entry("send", SendCommand.class), Map.entry("read", ReadCommand.class), Map.entry("mcp", McpCommand.class),
      Map.entry("dashboard", DashboardCommand.class), Map.entry("hook", HookCommand.class),
      Map.entry("help", CommandLine.HelpCommand.class));

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
    if (isVersionRequest(args)) {
      printVersion(out);
      return ExitCode.OK;
    }
    return run(env, in, out, err, true, args);
  }

  /** A bare {@code --version} (or {@code -V}): the one request that needs no command model at all. */
  static boolean isVersionRequest(String... args) {
    return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
  }

  /**
   * What picocli prints for {@code --version} (the {@link Version} lines, each on its own line),
   * without building its model: constructing the {@code CommandLine} costs more than half of the
   * command's start-up.
   */
  static void printVersion(PrintWriter out) {
    for (String line : new Version().getVersion()) {
      out.println(line);
    }
    out.flush();
  }

  private static int run(Environment env, InputStream in, PrintWriter out, PrintWriter err, boolean mayComplete, String... args) {
    CommandLine cli = new CommandLine(new MeshcodeCommand(env, in));
    // Loops and named classes, not lambdas or method references on picocli's types: the installer's
    // class-data archive leaves out every picocli class that such a lambda links when it is dumped.
    for (Class<?> verb : verbsFor(args)) {
      cli.addSubcommand(verb);
    }
    cli.getCommandSpec().usageMessage().exitCodeList(ExitCode.descriptions());
    ErrorHandling errors = new ErrorHandling(env);
    cli.setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(new ProjectCompletion(env, in, out, err, mayComplete, errors))
        .setExitCodeExceptionMapper(errors);
    int exit = cli.execute(args);
    out.flush();
    err.flush();
    return exit;
  }

  /** Runs again with the project completed ({@link #withProjectFromWorkspace}), else reports the parse error. */
  private record ProjectCompletion(Environment env, InputStream in, PrintWriter out, PrintWriter err, boolean mayComplete,
      ErrorHandling errors) implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException exception, String[] given) {
      String[] completed = mayComplete ? withProjectFromWorkspace(exception, env, given) : null;
      return completed == null ? errors.handleParseException(exception, given) : run(env, in, out, err, false, completed);
    }
  }

  /**
   * A verb whose first argument is {@code <project>}, given one argument too few, takes the project
   * from {@code MESHCODE_PROJECT}, else from the workspace the current folder is in
   * ({@code ~/meshcode/<project>-<agent>/}): {@code meshcode board} there is {@code meshcode board <project>}.
   * Answers the arguments with the project put first, or null when this does not apply.
   */
  static String[] withProjectFromWorkspace(CommandLine.ParameterException exception, Environment env, String... args) {
    CommandLine verb = exception.getCommandLine();
    if (!(exception instanceof CommandLine.MissingParameterException) || verb.getParent() == null
        || verb.getParent().getParent() != null) {
      return null;
    }
    List<CommandLine.Model.PositionalParamSpec> positionals = verb.getCommandSpec().positionalParameters();
    if (positionals.isEmpty() || !"<project>".equals(positionals.get(0).paramLabel())) {
      return null;
    }
    java.util.Optional<String> project = env.get("MESHCODE_PROJECT")
        .or(() -> Workspace.containing(env.workingDirectory()).map(Workspace.Info::project));
    int at = verbIndex(args);
    if (project.isEmpty() || at < 0) {
      return null;
    }
    List<String> completed = new java.util.ArrayList<>(List.of(args));
    completed.add(at + 1, project.get());
    return completed.toArray(String[]::new);
  }

  /** Where the verb's name is in {@code args}: the first word that is neither an option nor {@code --server}'s value. */
  private static int verbIndex(String... args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--server")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The verbs this run needs: the one named, none for a bare {@code --version}, else all (for
   * help, usage and suggestions). Reading twenty verbs' annotations costs a quarter of a quick
   * verb's start-up time.
   */
  static List<Class<?>> verbsFor(String... args) {
    boolean version = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--server")) {
        i++;
      } else if (arg.equals("-V") || arg.equals("--version")) {
        version = true;
      } else if (arg.equals("-h") || arg.equals("--help") || arg.equals("--")) {
        return VERBS;
      } else if (!arg.startsWith("-")) {
        Class<?> verb = BY_NAME.get(arg);
        return verb == null || verb == CommandLine.HelpCommand.class ? VERBS : List.of(verb);
      }
    }
    return version ? List.of() : VERBS;
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
