package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Processes;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.editor.Workspace;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {
        "Opens the web dashboard, already signed in.",
        "The link carries a one-time ticket (valid 60 s, usable once) in its fragment, never your key. "
            + "--print shows the link instead of opening a browser."})
public final class DashboardCommand extends Verb {

  @Parameters(arity = "0..1", paramLabel = "<project>", description = "Open this project (and use its key, for a guest); default: $MESHCODE_PROJECT, else the workspace you are in.")
  String project;

  @Option(names = "--print", description = "Print the link instead of opening a browser.")
  boolean print;

  @Override
  public Integer call() {
    if (project == null) {
      project = env().get("MESHCODE_PROJECT").or(() -> Workspace.containing(env().workingDirectory())
          .map(Workspace.Info::project)).orElse(null);
    }
    Gateway gateway = session().gateway(project);
    if (project != null) {
      session().meshwork(gateway, project);
    }
    JsonMap ticket;
    try {
      ticket = gateway.post("/v1/tickets", null);
    } catch (GatewayError e) {
      if (e.status() == 404 || e.status() == 405) {
        throw CliException.failure("the server at " + session().server() + " has no dashboard tickets (it predates them); upgrade the mesh");
      }
      throw e;
    }
    String url = ticket.string("url") + (project == null ? "" : "&project=" + project);
    if (print) {
      out().println(url);
      return ExitCode.OK;
    }
    List<String> command = new ArrayList<>(opener());
    command.add(url);
    String why;
    try {
      Processes.Result opened = Processes.run(env(), command, null, Duration.ofSeconds(15));
      if (opened.ok()) {
        out().println("Opened the dashboard in your browser (its sign-in link works once, within 60 s).");
        return ExitCode.OK;
      }
      why = command.get(0) + ": " + opened.why();
    } catch (IOException e) {
      why = e.getMessage();
    }
    out().println("Could not open a browser (" + why + "). Open this link within 60 s:");
    out().println(url);
    return ExitCode.OK;
  }

  private List<String> opener() {
    if (env().get("BROWSER").isPresent()) {
      return List.of(env().get("BROWSER").get());
    }
    return switch (env().os()) {
      case MAC -> List.of("open");
      case WINDOWS -> List.of("rundll32", "url.dll,FileProtocolHandler");
      default -> List.of("xdg-open");
    };
  }
}
