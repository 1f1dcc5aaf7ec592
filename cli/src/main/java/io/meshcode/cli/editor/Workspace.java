package io.meshcode.cli.editor;

import io.meshcode.cli.CliException;
import io.meshcode.cli.Environment;
import io.meshcode.cli.api.JsonMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * An agent's workspace, {@code ~/meshcode/<project>-<agent>/} ({@code $MESHCODE_HOME} moves the
 * root): the folder its editor opens, with that editor's MCP config, and in
 * {@code .meshcode/workspace.json} what the CLI needs to run it again.
 */
public final class Workspace {

  /** What {@code .meshcode/workspace.json} holds. */
  public record Info(String project, String agent, String server, String editor) {}

  private final Path dir;
  private final String project;
  private final String agent;

  private Workspace(Path dir, String project, String agent) {
    this.dir = dir;
    this.project = project;
    this.agent = agent;
  }

  public static Workspace of(Environment env, String project, String agent) {
    return new Workspace(env.workspaceRoot().resolve(project + "-" + agent), project, agent);
  }

  /** The workspace {@code dir} is, or is inside of, if any. */
  public static Optional<Info> containing(Path dir) {
    for (Path at = dir; at != null; at = at.getParent()) {
      Path info = at.resolve(".meshcode").resolve("workspace.json");
      if (Files.isRegularFile(info)) {
        JsonMap json = JsonFiles.read(info);
        if (json.has("project") && json.has("agent")) {
          return Optional.of(new Info(json.string("project"), json.string("agent"), json.string("server"), json.string("editor")));
        }
      }
    }
    return Optional.empty();
  }

  public Path dir() {
    return dir;
  }

  public String project() {
    return project;
  }

  public String agent() {
    return agent;
  }

  private Path infoFile() {
    return dir.resolve(".meshcode").resolve("workspace.json");
  }

  public boolean exists() {
    return Files.isRegularFile(infoFile());
  }

  public Optional<Info> info() {
    if (!exists()) {
      return Optional.empty();
    }
    JsonMap json = JsonFiles.read(infoFile());
    return Optional.of(new Info(json.string("project", project), json.string("agent", agent), json.string("server"),
        json.string("editor")));
  }

  /** Creates the folder (again) and records which server and editor it is for. */
  public void create(String server, Editor editor, String role) {
    try {
      Files.createDirectories(dir.resolve(".meshcode"));
    } catch (IOException e) {
      throw CliException.failure("cannot create the workspace " + dir + ": " + e.getMessage()
          + "; check that folder's permissions, or move the workspaces with MESHCODE_HOME");
    }
    JsonFiles.update(infoFile(), false, json -> {
      if (!json.has("created_at")) {
        json.put("created_at", Instant.now().toString());
      }
      json.put("project", project).put("agent", agent).put("server", server).put("editor", editor.id()).put("role", role);
    });
  }

  /** Where the hook keeps what it saw last (so it never blocks an agent that cannot read forever). */
  public Path hookState() {
    return dir.resolve(".meshcode").resolve("stop-hook.json");
  }
}
