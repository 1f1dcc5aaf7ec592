package io.meshcode.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The server's {@code instructions}: who the agent is (name, role, launch prompt), what it
 * remembers, who is online, its open tasks, and to enter the wait loop. Read from the gateway at
 * start-up, all at once, each part left out if it cannot be read in time. Kept short: editors put
 * it in the agent's context.
 */
final class Briefing {

  private static final Logger LOG = LoggerFactory.getLogger(Briefing.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
  private static final Set<String> CLOSED_TASKS = Set.of("done", "cancelled");
  private static final int LIST_MAX = 10;
  private static final int VALUE_MAX = 200;
  private static final int PROMPT_MAX = 4000;
  static final String LOOP = "Enter the wait loop: call meshcode_wait, handle what arrives, call meshcode_done "
      + "(with reply_to to answer a message), then wait again.";

  private final Gateway gateway;
  private final CompletableFuture<JsonNode> agent;
  private final CompletableFuture<JsonNode> meshwork;
  private final CompletableFuture<JsonNode> memories;
  private final CompletableFuture<JsonNode> tasks;

  private Briefing(Gateway gateway) {
    this.gateway = gateway;
    this.agent = read(gateway.meshworkPath("agents", gateway.agent()));
    this.meshwork = read(gateway.meshworkPath());
    this.memories = read(gateway.agentPath("memory"));
    this.tasks = read(Gateway.query(gateway.meshworkPath("tasks"), Gateway.params("assignee", gateway.agent())));
  }

  /** Starts the reads. */
  static Briefing start(Gateway gateway) {
    return new Briefing(gateway);
  }

  private CompletableFuture<JsonNode> read(String path) {
    return gateway.callAsync("GET", path, null, READ_TIMEOUT).exceptionally(failure -> {
      LOG.debug("reading {} for the instructions failed: {}", path, failure.getMessage());
      return null;
    });
  }

  /** The instructions, with what was read by {@code deadline}; {@code sessionProblem} if the agent is not ours. */
  String instructions(ToolError sessionProblem, long deadlineNanos) {
    StringBuilder text = new StringBuilder();
    JsonNode slot = await(agent, deadlineNanos);
    text.append("You are agent \"").append(gateway.agent()).append("\" of the MeshCode meshwork \"")
        .append(gateway.meshwork()).append("\".");
    String role = Json.text(slot, "role");
    if (role != null && !role.isBlank()) {
      text.append(" Role: ").append(role.strip()).append('.');
    }
    text.append('\n');
    if (sessionProblem instanceof GatewayException failure && failure.status() == 0) {
      text.append("The MeshCode server could not be reached: ").append(failure.getMessage())
          .append(". Every meshcode tool answers that error until it can be.\n");
    } else if (sessionProblem != null) {
      text.append("This window does not hold the agent: ").append(sessionProblem.getMessage())
          .append(". Every meshcode tool answers that error until it can (the other window closes).\n");
    }
    String prompt = Json.text(slot, "launch_prompt");
    if (prompt != null && !prompt.isBlank()) {
      text.append("Launch prompt:\n").append(cut(prompt.strip(), PROMPT_MAX)).append('\n');
    }
    appendMemories(text, await(memories, deadlineNanos));
    appendTeam(text, await(meshwork, deadlineNanos));
    appendTasks(text, await(tasks, deadlineNanos));
    text.append(LOOP);
    return text.toString();
  }

  private static void appendMemories(StringBuilder text, JsonNode answer) {
    List<String> lines = new ArrayList<>();
    for (JsonNode memory : answer == null ? Json.array() : answer.path("memories")) {
      if (lines.size() == LIST_MAX) {
        lines.add("… (meshcode_recall lists all)");
        break;
      }
      JsonNode value = memory.path("value");
      lines.add("- " + Json.text(memory, "key") + ": " + cut(value.isString() ? value.stringValue() : Json.write(value), VALUE_MAX));
    }
    if (!lines.isEmpty()) {
      text.append("Your memories:\n").append(String.join("\n", lines)).append('\n');
    }
  }

  private void appendTeam(StringBuilder text, JsonNode answer) {
    if (answer == null) {
      return;
    }
    List<String> online = new ArrayList<>();
    List<String> offline = new ArrayList<>();
    for (JsonNode agent : answer.path("agents")) {
      String name = Json.text(agent, "name");
      String status = Json.text(agent, "status");
      if (name == null || name.equals(gateway.agent())) {
        continue;
      }
      String role = Json.text(agent, "role");
      String who = name + (role == null || role.isBlank() ? "" : " (" + cut(role.strip(), 60) + ")");
      if (status == null || status.equals("offline") || status.equals("unknown")) {
        offline.add(who);
      } else {
        online.add(who + " " + status);
      }
    }
    text.append("Online: ").append(online.isEmpty() ? "nobody else" : String.join(", ", online)).append('\n');
    if (!offline.isEmpty()) {
      text.append("Offline: ").append(String.join(", ", offline)).append('\n');
    }
  }

  private static void appendTasks(StringBuilder text, JsonNode answer) {
    List<String> open = new ArrayList<>();
    for (JsonNode task : answer == null ? Json.array() : answer.path("tasks")) {
      String status = Json.text(task, "status");
      if (status != null && CLOSED_TASKS.contains(status)) {
        continue;
      }
      if (open.size() == LIST_MAX) {
        open.add("… (meshcode_tasks lists all)");
        break;
      }
      open.add("- " + Json.text(task, "id") + " " + cut(String.valueOf(Json.text(task, "title")), 120) + " (" + status + ")");
    }
    if (!open.isEmpty()) {
      text.append("Your open tasks:\n").append(String.join("\n", open)).append('\n');
    }
  }

  private static JsonNode await(CompletableFuture<JsonNode> read, long deadlineNanos) {
    try {
      return read.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      read.cancel(true);
      return null;
    }
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
