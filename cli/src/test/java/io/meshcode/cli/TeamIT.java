package io.meshcode.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Teams: projects, invite, join, invites, members, revoke-invite, revoke-member, remove-agent")
class TeamIT {

  private static final Pattern JOIN_LINK = Pattern.compile("(http://\\S+/join/mc_inv_[A-Za-z0-9]+)");
  private static final Pattern INVITE_ID = Pattern.compile("Invite id ([0-9a-f-]{36})");

  private static TestMesh mesh;

  @TempDir
  Path root;

  @BeforeAll
  static void start() {
    mesh = TestMesh.get();
  }

  private Cli loggedIn(String folder, String key) {
    return mesh.loggedIn(root.resolve(folder), key);
  }

  private static String find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }

  @Test
  @DisplayName("an owner invites, a friend joins with the link alone and runs the agent; members and invites show it; revoking ends it")
  void inviteJoinRevoke() {
    String ownerKey = mesh.newOwner("Ada");
    Cli owner = loggedIn("owner", ownerKey);
    String project = mesh.project(ownerKey, "team", "backend");

    Cli.Result invite = owner.run("invite", project, "frontend", "--role", "UI", "--days", "3");
    assertThat(invite.exit()).as(invite.toString()).isZero();
    assertThat(invite.out()).contains("Added agent 'frontend' to '" + project + "'.")
        .contains("Invite to run " + project + "/frontend (UI)").contains("meshcode join http://");
    String link = find(JOIN_LINK, invite.out());

    // The friend has no server configured at all: the link says where to go.
    Cli friend = new Cli(root.resolve("friend"), null);
    friend.fakes().secretTool().allEditors();
    Cli.Result join = friend.run("join", link, "--display-name", "Bob");
    assertThat(join.exit()).as(join.toString()).isZero();
    assertThat(join.out()).contains("Joined " + project + " as Bob: you run the agent 'frontend' (UI).")
        .contains("Your guest key is stored in the Secret Service (secret-tool).")
        .contains("Next: meshcode go frontend --project " + project);
    assertThat(friend.fakes().keyringSecrets()).hasSize(1).allMatch(k -> k.startsWith("mc_sk_"));
    Cli.Result again = friend.run("join", link, "--display-name", "Bob");
    assertThat(again.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(again.err()).isEqualTo("meshcode: this invite was already used; ask for a new one\n");

    Cli.Result friendProjects = friend.run("projects");
    assertThat(friendProjects.exit()).as(friendProjects.toString()).isZero();
    assertThat(friendProjects.out()).contains(project).contains("guest as frontend");
    Cli.Result go = friend.run("go", "frontend");
    assertThat(go.exit()).as(go.toString()).isZero();
    assertThat(friend.fakes().log("claude.log")).contains("cwd=" + friend.workspace(project, "frontend"));

    Cli.Result members = owner.run("members", project);
    assertThat(members.exit()).isZero();
    assertThat(members.out()).as("the owner by account name").containsPattern("owner\\s+owner\\s+Ada\\s+all")
        .containsPattern("guest\\s+Bob\\s+frontend");
    Cli.Result invites = owner.run("invites", project);
    assertThat(invites.out()).as("who redeemed it, by name").containsPattern("frontend\\s+UI\\s+redeemed\\s+\\S+ \\S+\\s+Bob");
    String inviteId = find(INVITE_ID, invite.out());
    Cli.Result used = owner.run("revoke-invite", inviteId);
    assertThat(used.exit()).as(used.toString()).isEqualTo(ExitCode.NOTHING_TO_DO);
    assertThat(used.err()).isEqualTo("meshcode: invite " + inviteId + " was already redeemed by Bob, so there is nothing to revoke; "
        + "to remove that teammate, run meshcode revoke-member " + project + " Bob\n");
    Cli.Result listed = owner.run("ls");
    assertThat(listed.out()).contains(project).contains("backend (offline)").contains("frontend (offline)");

    Cli.Result revoke = owner.run("revoke-member", project, "bob");
    assertThat(revoke.exit()).as(revoke.toString()).isZero();
    assertThat(revoke.out()).contains("Revoked Bob (agent frontend in '" + project + "'): their key stops working now.");
    Cli.Result gone = friend.run("board", project, "--once");
    assertThat(gone.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    assertThat(gone.err()).contains("the API key is unknown or revoked");
    assertThat(owner.run("revoke-member", project, "Bob").exit()).isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  @DisplayName("revoke-invite finds the invite among your projects; a revoked link fails to join; revoking again does nothing (exit 9)")
  void revokeInvite() {
    String ownerKey = mesh.newOwner("Grace");
    Cli owner = loggedIn("owner", ownerKey);
    mesh.project(ownerKey, "first", "a");
    String project = mesh.project(ownerKey, "second", "b");
    Cli.Result invite = owner.run("invite", project, "b");
    String link = find(JOIN_LINK, invite.out());
    String id = find(INVITE_ID, invite.out());

    Cli.Result revoked = owner.run("revoke-invite", id);
    assertThat(revoked.exit()).as(revoked.toString()).isZero();
    assertThat(revoked.out()).isEqualTo("Revoked invite " + id + " in '" + project + "': its link no longer works.\n");
    assertThat(owner.run("invites", project).out()).containsPattern(id + "\\s+b\\s+-\\s+revoked");
    Cli.Result again = owner.run("revoke-invite", id);
    assertThat(again.exit()).as(again.toString()).isEqualTo(ExitCode.NOTHING_TO_DO);
    assertThat(again.err()).isEqualTo("meshcode: invite " + id + " in '" + project + "' was already revoked, so its link already fails; meshcode invite " + project + " <agent> makes a new one\n");
    assertThat(again.out()).doesNotContain("Revoked");

    Cli friend = new Cli(root.resolve("friend"), null);
    friend.fakes().secretTool();
    Cli.Result join = friend.run("join", link, "--display-name", "Eve");
    assertThat(join.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(join.err()).isEqualTo("meshcode: invite not found: it is unknown or was revoked; ask for a new one\n");
    assertThat(owner.run("revoke-invite", "00000000-0000-7000-8000-000000000000").exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(owner.run("revoke-invite", "nope").exit()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  @DisplayName("owner-only verbs with a guest key say the key cannot do it (exit 4)")
  void guestLimits() {
    String ownerKey = mesh.newOwner("Lin");
    String project = mesh.project(ownerKey, "limits", "a");
    String guest = mesh.join(ownerKey, project, "a", "Guest").getString("key");
    Cli cli = new Cli(root, mesh.url()).env("MESHCODE_API_KEY", guest);
    Cli.Result members = cli.run("members", project);
    assertThat(members.exit()).isEqualTo(ExitCode.NO_ACCESS);
    assertThat(members.err()).isEqualTo("meshcode: a guest key cannot do that: only the meshwork's owner can\n");
    assertThat(cli.run("invite", project, "a").exit()).isEqualTo(ExitCode.NO_ACCESS);
  }

  @Test
  @DisplayName("remove-agent asks for the agent's name (or --yes), then removes it and its guest's key stops working")
  void removeAgent() {
    String ownerKey = mesh.newOwner("Grace");
    Cli owner = loggedIn("owner", ownerKey);
    String project = mesh.project(ownerKey, "rm", "builder", "lead");
    Cli.Result invite = owner.run("invite", project, "builder");
    Cli friend = new Cli(root.resolve("friend"), null);
    friend.fakes().secretTool().allEditors();
    assertThat(friend.run("join", find(JOIN_LINK, invite.out()), "--display-name", "Bob").exit()).isZero();

    Cli.Result byGuest = friend.run("remove-agent", project, "lead", "--yes");
    assertThat(byGuest.exit()).as(byGuest.toString()).isEqualTo(ExitCode.NO_ACCESS);
    Cli.Result unasked = owner.run("remove-agent", project, "builder");
    assertThat(unasked.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(unasked.err()).contains("removing 'builder' deletes its memory and unread messages for good; run it again with --yes");
    Cli.Result mistyped = owner.interactive(true).stdin("lead\n").run("remove-agent", project, "builder");
    assertThat(mistyped.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(mistyped.out()).contains("Type its name to confirm: ");
    assertThat(mistyped.err()).contains("nothing removed: 'lead' is not 'builder'");
    assertThat(owner.interactive(false).run("ls").out()).as("nothing removed").contains("builder (offline)");

    Cli.Result removed = owner.interactive(true).stdin("builder\n").run("remove-agent", project, "builder");
    assertThat(removed.exit()).as(removed.toString()).isZero();
    assertThat(removed.out()).contains("Removed agent 'builder' from '" + project + "': its guests' keys stop working now");
    owner.interactive(false);
    assertThat(owner.run("ls").out()).doesNotContain("builder").contains("lead (offline)");
    assertThat(friend.run("board", project, "--once").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);

    Cli.Result again = owner.run("remove-agent", project, "builder", "--yes");
    assertThat(again.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(again.err()).contains("agent 'builder' not found in project '" + project + "'");
    assertThat(owner.run("remove-agent", project, "lead", "--yes").exit()).isZero();
  }
}
