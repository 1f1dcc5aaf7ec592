package io.meshcode.cli.verb;

import io.meshcode.cli.ExitCode;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "logout", mixinStandardHelpOptions = true,
    description = {
        "Removes the keys stored for the server.",
        "That is the login key and every guest key that joins brought."})
public final class LogoutCommand extends Verb {

  @Override
  public Integer call() {
    String server = session().serverId();
    List<String> removed = session().credentials().forget(server);
    session().settings().save();
    if (removed.isEmpty()) {
      out().println("No key was stored for " + server + ".");
    } else {
      out().println("Logged out of " + server + ": removed " + removed.size() + " key" + (removed.size() == 1 ? "" : "s")
          + " (" + String.join(", ", removed) + ").");
    }
    if (env().get("MESHCODE_API_KEY").isPresent()) {
      out().println("MESHCODE_API_KEY is still set in this shell; unset it to log out entirely.");
    }
    return ExitCode.OK;
  }
}
