package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Names;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.mcp.Backoff;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "board", mixinStandardHelpOptions = true,
    description = {
        "Shows a project's live status board.",
        "Each agent, its status, when it was last seen and its current task, updated as the mesh reports "
            + "changes over its WebSocket stream. Ctrl-C quits."})
public final class BoardCommand extends Verb {

  private static final Duration REFRESH = Duration.ofSeconds(15);
  private static final Duration SETTLE = Duration.ofMillis(250);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  @Parameters(paramLabel = "<project>")
  String project;

  @Option(names = "--once", description = "Print the board once and exit.")
  boolean once;

  @Option(names = "--json", description = "Print JSON: one object with --once, else one line per change.")
  boolean json;

  @Override
  public Integer call() {
    Names.check(project, "project");
    Gateway gateway = session().gateway(project);
    JsonMap board = snapshot(gateway);
    if (once) {
      if (json) {
        printJson(board);
      } else {
        render(board);
      }
      return ExitCode.OK;
    }
    try {
      watch(gateway, board);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.OK;
  }

  /** Shows the board, then again whenever the stream reports anything in the project (settled for a moment). */
  private void watch(Gateway gateway, JsonMap first) throws InterruptedException {
    String shown = show(first, null);
    Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
    while (!Thread.currentThread().isInterrupted()) {
      try (LiveStream stream = LiveStream.subscribe(session().server(), session().key(project).value(), project)) {
        backoff.reset();
        shown = show(snapshot(gateway), shown);
        while (true) {
          JsonMap frame = stream.next(REFRESH);
          if (frame == null) {
            shown = show(snapshot(gateway), shown);
            continue;
          }
          String type = frame.string("type", "");
          if (type.equals("closed")) {
            err().println("meshcode: the live stream closed (" + frame.number("code", 0) + "); reconnecting…");
            err().flush();
            break;
          }
          if (type.equals("error")) {
            throw new CliException(ExitCode.FAILURE, "the live stream refused: " + frame.object("error").string("message")
                + "; meshcode board " + project + " --once shows the board without it");
          }
          if (type.equals("entry")) {
            // More entries of the same burst: one refresh covers them all.
            JsonMap more;
            boolean closed = false;
            while (!closed && (more = stream.next(SETTLE)) != null) {
              closed = more.string("type", "").equals("closed");
            }
            shown = show(snapshot(gateway), shown);
            if (closed) {
              err().println("meshcode: the live stream closed; reconnecting…");
              err().flush();
              break;
            }
          }
        }
      } catch (CliException e) {
        if (e.exitCode() != ExitCode.UNREACHABLE) {
          throw e;
        }
        err().println("meshcode: " + e.getMessage() + "; retrying in " + backoff.peek().toSeconds() + " s");
        err().flush();
      }
      Thread.sleep(backoff.next().toMillis());
    }
  }

  /** The project's agents with status, last seen and current task, as one JSON object. */
  JsonMap snapshot(Gateway gateway) {
    JsonMap meshwork = session().meshwork(gateway, project);
    Map<String, String> tasks = currentTasks(gateway);
    List<JsonMap> agents = new ArrayList<>();
    for (JsonMap agent : meshwork.objects("agents")) {
      String name = agent.string("name");
      agents.add(JsonMap.of("name", name, "role", agent.string("role"), "status", agent.string("status", "offline"),
          "last_seen", agent.string("last_seen"), "current_task", tasks.get(name)));
    }
    return JsonMap.of("project", project, "agents", agents);
  }

  /**
   * Each agent's task in progress, from the task board. The board is optional: a server without
   * one (or a key that cannot read it) leaves the column empty.
   */
  private Map<String, String> currentTasks(Gateway gateway) {
    Map<String, String> current = new HashMap<>();
    try {
      for (JsonMap task : gateway.get("/v1/meshworks/" + project + "/tasks?status=in_progress&limit=500").objects("tasks")) {
        if (task.has("assignee")) {
          current.putIfAbsent(task.string("assignee"), task.string("title"));
        }
      }
    } catch (CliException e) {
      if (e.exitCode() == ExitCode.UNREACHABLE) {
        throw e;
      }
    }
    return current;
  }

  /** Prints the board if it changed; answers what is shown now. */
  private String show(JsonMap board, String shown) {
    String text = json ? Json.write(board) : table(board);
    if (text.equals(shown)) {
      return shown;
    }
    if (json) {
      out().println(text);
    } else {
      if (env().interactive()) {
        out().print("\033[H\033[2J");
      }
      out().println("MeshCode board: " + project + "   " + Table.date(Instant.now().toString()) + " UTC   (Ctrl-C quits)");
      out().print(text);
      out().println();
    }
    out().flush();
    return text;
  }

  private void render(JsonMap board) {
    out().print(table(board));
    out().flush();
  }

  private static String table(JsonMap board) {
    if (board.objects("agents").isEmpty()) {
      return "No agents yet.\n";
    }
    Table table = new Table("AGENT", "ROLE", "STATUS", "LAST SEEN", "CURRENT TASK");
    Instant now = Instant.now();
    for (JsonMap agent : board.objects("agents")) {
      table.row(agent.string("name"), agent.string("role"), agent.string("status"),
          Table.ago(agent.string("last_seen"), now), agent.string("current_task"));
    }
    StringWriter text = new StringWriter();
    table.print(new PrintWriter(text));
    return text.toString();
  }
}
