package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Names;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.editor.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * Claude Code's Stop hook: while the agent has unread messages, it answers {@code decision: block}
 * with the reason, so Claude goes back to its wait loop instead of stopping. It never traps
 * anyone: any failure lets the stop happen, and so does an agent that keeps stopping without
 * reading anything (three times in a row).
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Claude Code's Stop hook: blocks stopping while the agent has unread messages.")
public final class HookStopCommand extends Verb {

  static final int MAX_BLOCKS_WITHOUT_PROGRESS = 3;

  @Option(names = {"-p", "--project"}, paramLabel = "<project>")
  String project;

  @Option(names = {"-a", "--agent"}, paramLabel = "<agent>")
  String agent;

  // Exit code 2 would make Claude Code block the stop and loop: options this version does not
  // know (a hook written by another version) are ignored rather than refused.
  @Unmatched
  List<String> unknown;

  @Override
  public Integer call() {
    JsonMap input = readInput();
    long unread;
    try {
      Names.check(project == null ? "" : project, "project");
      Names.check(agent == null ? "" : agent, "agent");
      unread = session().gateway(project).get("/v1/meshworks/" + project + "/agents/" + agent + "/inbox/count").number("unread", 0);
    } catch (CliException e) {
      err().println("meshcode hook: cannot check for messages (" + e.getMessage() + "); letting the agent stop");
      return ExitCode.OK;
    }
    Path state = Workspace.of(env(), project, agent).hookState();
    if (unread == 0) {
      deleteQuietly(state);
      return ExitCode.OK;
    }
    JsonMap previous = read(state);
    long blocks = previous.has("unread") && unread >= previous.number("unread", 0) && input.bool("stop_hook_active")
        ? previous.number("blocks", 0) + 1 : 1;
    if (blocks > MAX_BLOCKS_WITHOUT_PROGRESS) {
      err().println("meshcode hook: " + unread + " messages stay unread after " + MAX_BLOCKS_WITHOUT_PROGRESS
          + " reminders; letting the agent stop");
      deleteQuietly(state);
      return ExitCode.OK;
    }
    write(state, JsonMap.of("unread", unread, "blocks", blocks));
    out().println(Json.write(JsonMap.of("decision", "block", "reason", "You have " + unread + " unread MeshCode message"
        + (unread == 1 ? "" : "s") + ". Call meshcode_wait to read them, handle them, call meshcode_done,"
        + " then call meshcode_wait again.")));
    return ExitCode.OK;
  }

  /** What Claude Code sends on stdin ({@code stop_hook_active} among it); nothing when run by hand. */
  private JsonMap readInput() {
    if (env().interactive()) {
      return new JsonMap();
    }
    try {
      String text = new String(root().in().readAllBytes(), StandardCharsets.UTF_8);
      return text.isBlank() ? new JsonMap() : Json.parseObject(text);
    } catch (IOException | IllegalArgumentException e) {
      return new JsonMap();
    }
  }

  private static JsonMap read(Path state) {
    try {
      return Files.exists(state) ? Json.parseObject(Files.readString(state)) : new JsonMap();
    } catch (IOException | IllegalArgumentException e) {
      return new JsonMap();
    }
  }

  private static void write(Path state, JsonMap value) {
    try {
      Files.createDirectories(state.getParent());
      Files.writeString(state, Json.write(value));
    } catch (IOException ignored) {
      // without its state the hook still reminds; it just cannot count
    }
  }

  private static void deleteQuietly(Path state) {
    try {
      Files.deleteIfExists(state);
    } catch (IOException ignored) {
      // stale state only ever lets a stop happen sooner
    }
  }
}
