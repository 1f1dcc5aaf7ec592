package io.meshcode.cli.verb;

import io.meshcode.cli.CliException;
import io.meshcode.cli.ExitCode;
import io.meshcode.cli.api.Gateway;
import io.meshcode.cli.api.GatewayError;
import io.meshcode.cli.api.JsonMap;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "revoke-invite", mixinStandardHelpOptions = true,
    description = "Cancels an unused invite: its link stops working at once. One already revoked or redeemed: exit 9, nothing done.")
public final class RevokeInviteCommand extends Verb {

  private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @Parameters(paramLabel = "<id>", description = "The invite's id, as meshcode invite and meshcode invites show it.")
  String id;

  @Option(names = {"-p", "--project"}, paramLabel = "<project>", description = "Its project (default: looked up among yours).")
  String project;

  @Override
  public Integer call() {
    if (!id.matches(UUID)) {
      throw CliException.usage("'" + id + "' is not an invite id (meshcode invites <project> lists them)");
    }
    Gateway gateway = session().gateway(project);
    String owner = project != null ? project : findProject(gateway);
    session().meshwork(gateway, owner);
    JsonMap revoked;
    try {
      revoked = gateway.call("DELETE", "/v1/meshworks/" + owner + "/invites/" + id, null);
    } catch (GatewayError e) {
      if (e.status() == 409) {
        String by = redeemedBy(gateway, owner);
        throw new CliException(ExitCode.NOTHING_TO_DO, "invite " + id + " was already redeemed" + (by == null ? "" : " by " + by)
            + ", so there is nothing to revoke; to remove that teammate, run meshcode revoke-member " + owner + " "
            + (by == null ? "<name>" : by));
      }
      if (e.status() == 404) {
        throw CliException.notFound("invite " + id + " not found in '" + owner + "'; meshcode invites " + owner + " lists them");
      }
      throw e;
    }
    if (revoked.has("revoked") && !revoked.bool("revoked")) {
      throw new CliException(ExitCode.NOTHING_TO_DO, "invite " + id + " in '" + owner + "' was already revoked, so its link already fails;"
          + " meshcode invite " + owner + " <agent> makes a new one");
    }
    out().println("Revoked invite " + id + " in '" + owner + "': its link no longer works.");
    return ExitCode.OK;
  }

  /** Who redeemed the invite, by display name, as the invite list says; null if it does not say. */
  private String redeemedBy(Gateway gateway, String owner) {
    for (JsonMap invite : gateway.get("/v1/meshworks/" + owner + "/invites").objects("invites")) {
      if (id.equals(invite.string("id"))) {
        return invite.string("redeemed_by_name");
      }
    }
    return null;
  }

  private String findProject(Gateway gateway) {
    List<String> projects = gateway.get("/v1/meshworks").objects("meshworks").stream().map(m -> m.string("name")).toList();
    for (String candidate : projects) {
      for (JsonMap invite : gateway.get("/v1/meshworks/" + candidate + "/invites").objects("invites")) {
        if (id.equals(invite.string("id"))) {
          return candidate;
        }
      }
    }
    throw CliException.notFound("invite " + id + " not found in any of your projects; meshcode invites <project> lists them");
  }
}
