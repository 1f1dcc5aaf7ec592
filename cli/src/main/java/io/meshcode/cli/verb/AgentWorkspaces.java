package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.CliSettings.StoredKey;
import io.meshcode.cli.Environment;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.Names;
import io.meshcode.cli.Session;
import io.meshcode.cli.Table;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.JsonMap;
import io.meshcode.cli.credentials.Credentials;
import io.meshcode.cli.editor.Editor;
import io.meshcode.cli.editor.Editors;
import io.meshcode.cli.editor.McpConfigs;
import io.meshcode.cli.editor.Workspace;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What {@code go}, {@code setup} and {@code run} share: finding the agent, its workspace, its editor. */
final class AgentWorkspaces {

  /** An agent of a project, and the gateway with the key that reaches it. */
  record Target(String project, String agent, Gateway gateway, JsonMap me) {
    boolean owner() {
      return "owner".equals(me.string("kind"));
    }
  }

  private static final Set<String> RUNNING = Set.of("online", "working", "waiting", "idle");

  private final Session session;
  private final Environment env;
  private final PrintWriter out;
  private final PrintWriter err;
  final McpConfigs configs;
  final Editors editors;

  AgentWorkspaces(Session session, PrintWriter out, PrintWriter err) {
    this.session = session;
    this.env = session.env();
    this.out = out;
    this.err = err;
    this.configs = new McpConfigs(env);
    this.editors = new Editors(env, configs);
  }

  /**
   * The project of {@code agent}: {@code --project}, else {@code MESHCODE_PROJECT}, else the
   * workspace this folder is in, else the one project the keys reach that has this agent (or the
   * only project at all). With none at all and {@code mayCreate}, one named after this folder.
   */
  Target resolve(String agent, String projectOption, boolean mayCreate) {
    Names.check(agent, "agent");
    String project = projectOption != null ? Names.check(projectOption, "project") : env.get("MESHCODE_PROJECT").orElse(null);
    if (project == null) {
      project = Workspace.containing(env.workingDirectory()).map(Workspace.Info::project).orElse(null);
    }
    if (project != null) {
      Gateway gateway = session.gateway(project);
      return checkScope(new Target(project, agent, gateway, gateway.get("/v1/me")));
    }
    return checkScope(guess(agent, mayCreate));
  }

  private Target guess(String agent, boolean mayCreate) {
    Set<String> candidates = new LinkedHashSet<>();
    if (env.get(Credentials.ENV_KEY).isEmpty()) {
      session.credentials().projectKeys(session.serverId()).stream()
          .filter(k -> agent.equals(k.agent())).map(StoredKey::meshwork).forEach(candidates::add);
    }
    Optional<Credentials.Key> defaultKey = session.credentials().find(session.serverId(), null);
    List<String> all = new ArrayList<>();
    JsonMap me = null;
    if (defaultKey.isPresent()) {
      Gateway gateway = new Gateway(session.server(), defaultKey.get().value());
      me = gateway.get("/v1/me");
      for (JsonMap meshwork : gateway.get("/v1/meshworks").objects("meshworks")) {
        String name = meshwork.string("name");
        all.add(name);
        if (meshwork.objects("agents").stream().anyMatch(a -> agent.equals(a.string("name")))) {
          candidates.add(name);
        }
      }
    } else if (candidates.isEmpty()) {
      List<StoredKey> joined = env.get(Credentials.ENV_KEY).isPresent() ? List.of()
          : session.credentials().projectKeys(session.serverId());
      if (joined.isEmpty()) {
        throw CliException.notLoggedIn();
      }
      throw new CliException(ExitCode.OUT_OF_SCOPE, "scoped api key cannot access this agent: your guest key"
          + (joined.size() == 1 ? " acts" : "s act") + " only as " + String.join(", ", joined.stream()
          .map(k -> k.meshwork() + "/" + k.agent()).toList()) + ", not as '" + agent + "'; run meshcode go "
          + joined.get(0).agent() + " --project " + joined.get(0).meshwork());
    }
    String project;
    if (candidates.size() == 1) {
      project = candidates.iterator().next();
    } else if (candidates.isEmpty() && all.size() == 1) {
      project = all.get(0);
    } else if (candidates.isEmpty() && all.isEmpty() && mayCreate && me != null && "owner".equals(me.string("kind"))) {
      Path folder = env.workingDirectory().getFileName();
      project = Optional.ofNullable(folder).map(f -> Names.slug(f.toString())).filter(Names::valid).orElse("mesh");
    } else {
      List<String> choices = new ArrayList<>(candidates.isEmpty() ? all : candidates);
      throw CliException.usage("agent '" + agent + "' could be in more than one project: name it with --project"
          + (choices.isEmpty() ? "" : " (" + String.join(", ", choices) + ")"));
    }
    Gateway gateway = session.gateway(project);
    return new Target(project, agent, gateway, gateway.get("/v1/me"));
  }

  private static Target checkScope(Target target) {
    JsonMap scope = target.me().object("scope");
    String kind = target.me().string("kind", "");
    if (kind.equals("spectator")) {
      throw CliException.noAccess("a spectator link only watches: it cannot run an agent");
    }
    if (kind.equals("guest") && target.project().equals(scope.string("meshwork")) && !target.agent().equals(scope.string("agent"))) {
      throw new CliException(ExitCode.OUT_OF_SCOPE, "scoped api key cannot access this agent: this guest key acts only as "
          + scope.string("meshwork") + "/" + scope.string("agent") + "; run meshcode go " + scope.string("agent")
          + " --project " + scope.string("meshwork"));
    }
    return target;
  }

  /** The meshwork; an owner's {@code go} creates it when missing. */
  JsonMap meshwork(Target target, boolean mayCreate) {
    if (mayCreate && target.owner()) {
      try {
        return target.gateway().get("/v1/meshworks/" + target.project());
      } catch (GatewayError e) {
        if (e.status() != 404) {
          throw e;
        }
        target.gateway().post("/v1/meshworks", JsonMap.of("name", target.project()));
        out.println("Created project '" + target.project() + "'.");
      }
    }
    return session.meshwork(target.gateway(), target.project());
  }

  /** The agent's entry (role, status, last seen); an owner's {@code go} adds the slot when missing. */
  JsonMap agent(Target target, JsonMap meshwork, String role, boolean mayCreate) {
    Optional<JsonMap> found = meshwork.objects("agents").stream().filter(a -> target.agent().equals(a.string("name"))).findFirst();
    if (found.isPresent()) {
      return withRole(target, found.get(), role);
    }
    if (mayCreate && target.owner()) {
      target.gateway().post("/v1/meshworks/" + target.project() + "/agents", JsonMap.of("name", target.agent(), "role", role));
      out.println("Added agent '" + target.agent() + "' to '" + target.project() + "'.");
      return Session.agent(session.meshwork(target.gateway(), target.project()), target.agent());
    }
    return Session.agent(meshwork, target.agent());
  }

  /**
   * {@code --role} on an agent that exists with another role: an owner's key changes it (and says
   * so); a guest's cannot, so the old role stays and the note says who can change it.
   */
  private JsonMap withRole(Target target, JsonMap agent, String role) {
    String old = agent.string("role", "");
    if (role == null || role.strip().equals(old)) {
      return agent;
    }
    String shown = old.isEmpty() ? "no role" : "role '" + old + "'";
    if (!target.owner()) {
      err.println("note: '" + target.agent() + "' keeps its " + shown + ": only the project's owner can change it");
      return agent;
    }
    target.gateway().patch("/v1/meshworks/" + target.project() + "/agents/" + target.agent(), JsonMap.of("role", role.strip()));
    out.println("Changed the role of '" + target.agent() + "' from " + (old.isEmpty() ? "none" : "'" + old + "'")
        + " to '" + role.strip() + "'.");
    return Session.agent(session.meshwork(target.gateway(), target.project()), target.agent());
  }

  /** Creates (or refreshes) the workspace and writes the editor's MCP config. */
  Workspace setUp(Target target, JsonMap agent, Editor editor) {
    Workspace workspace = Workspace.of(env, target.project(), target.agent());
    boolean existed = workspace.exists();
    workspace.create(session.serverId(), editor, agent.string("role"));
    List<Path> files = configs.write(workspace, editor, session.serverId());
    out.println((existed ? "Workspace:  " : "Created workspace ") + workspace.dir());
    out.println(editor.displayName() + " MCP config: " + files.get(0)
        + (editor == Editor.CLAUDE_DESKTOP ? " (merged; the previous file is kept as .meshcode-backup)" : ""));
    if (files.size() > 1) {
      out.println("Stop hook (keeps the agent waiting while it has unread messages): " + files.get(1));
    }
    if (session.key(target.project()).source().equals(Credentials.ENV_KEY)) {
      err.println("note: the key comes from MESHCODE_API_KEY and is not written into the config; an editor started"
          + " outside this shell will not have it (meshcode login stores it for every window)");
    }
    return workspace;
  }

  /** "agent already running in another window", unless the caller takes it over. */
  void refuseIfRunning(Target target, JsonMap agent, boolean takeOver) {
    String status = agent.string("status", "offline");
    if (RUNNING.contains(status) && !takeOver) {
      throw new CliException(ExitCode.CONFLICT, "agent already running in another window: " + target.project() + "/"
          + target.agent() + " is " + status + " (last seen " + Table.ago(agent.string("last_seen"), Instant.now())
          + "); close that window, or run again with --take-over");
    }
  }

  /** Starts the editor; Claude Code and Codex get the agent's launch prompt as their first message. */
  int launch(Target target, Workspace workspace, Editor editor, boolean takeOver) {
    JsonMap slot = target.gateway().get("/v1/meshworks/" + target.project() + "/agents/" + target.agent());
    String prompt = slot.string("launch_prompt", "");
    if (prompt.isBlank()) {
      String role = slot.string("role", "");
      prompt = "You are " + target.agent() + ", an agent of the MeshCode project '" + target.project() + "'"
          + (role.isBlank() ? "" : " (" + role + ")") + ". Your teammates reach you through the meshcode tools:"
          + " call meshcode_wait to receive messages, handle each one, call meshcode_done, then call meshcode_wait again.";
    }
    out.println("Opening " + editor.displayName() + " for " + target.project() + "/" + target.agent() + " in " + workspace.dir());
    return editors.launch(editor, workspace, session.serverId(), prompt, takeOver, out);
  }
}
