package io.meshcode.cli.verb;

import io.meshcode.cli.Environment;
import io.meshcode.cli.MeshcodeCommand;
import io.meshcode.cli.Session;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.Json;
import io.meshcode.cli.api.JsonMap;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every verb reaches: its output streams, the environment and this run's session. */
@Command
abstract class Verb implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  MeshcodeCommand root() {
    return (MeshcodeCommand) spec.root().userObject();
  }

  Session session() {
    return root().session();
  }

  Environment env() {
    return root().env();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  void printJson(Object value) {
    out().println(Json.pretty(value));
    out().flush();
  }

  /**
   * One of a project's lists ({@code invites}, {@code members}), read after the project is checked
   * to be within the key's reach; printed as JSON and null when {@code json}, for the caller to tabulate otherwise.
   */
  JsonMap projectList(String project, String list, boolean json) {
    Gateway gateway = session().gateway(project);
    session().meshwork(gateway, project);
    JsonMap answer = gateway.get("/v1/meshworks/" + project + "/" + list);
    if (json) {
      printJson(answer);
      return null;
    }
    return answer;
  }
}
