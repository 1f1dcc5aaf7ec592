package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.invites.InvitesClient.Team;
import io.meshcode.testkit.ApiCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Who reaches what")
class ScopeTest {

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  private static List<ApiCall> writesAndOwnerReads(String mw, String agent) {
    String base = "/meshworks/" + mw;
    return List.of(
        new ApiCall("POST", "/meshworks", new JsonObject().put("name", InvitesClient.fresh("new"))),
        new ApiCall("DELETE", base, null),
        new ApiCall("POST", base + "/agents", new JsonObject().put("name", "intruder")),
        new ApiCall("PATCH", base + "/agents/" + agent, new JsonObject().put("role", "boss")),
        new ApiCall("DELETE", base + "/agents/" + agent, null),
        new ApiCall("POST", base + "/invites", new JsonObject().put("agent", agent)),
        new ApiCall("GET", base + "/invites", null),
        new ApiCall("DELETE", base + "/invites/" + Ids.newId(), null),
        new ApiCall("GET", base + "/members", null),
        new ApiCall("DELETE", base + "/members/" + Ids.newId(), null),
        new ApiCall("POST", base + "/spectator-links", new JsonObject()),
        new ApiCall("GET", base + "/spectator-links", null),
        new ApiCall("DELETE", base + "/spectator-links/" + Ids.newId(), null),
        new ApiCall("POST", base + "/links", new JsonObject().put("target", "elsewhere")),
        new ApiCall("DELETE", base + "/links/elsewhere", null));
  }

  private static List<ApiCall> reads(String mw, String agent) {
    String base = "/meshworks/" + mw;
    return List.of(new ApiCall("GET", base, null), new ApiCall("GET", base + "/agents", null),
        new ApiCall("GET", base + "/agents/" + agent, null), new ApiCall("GET", base + "/links", null));
  }

  @Test
  @DisplayName("another owner's meshwork answers 404 to every route, and is absent from the list")
  void otherOwner() {
    Team team = client.team();
    Caller stranger = client.owner();
    stranger.createMeshwork(InvitesClient.fresh("mine"));
    for (ApiCall call : concat(reads(team.meshwork(), team.agent()), writesAndOwnerReads(team.meshwork(), team.agent()).subList(1, 15))) {
      assertThat(call.as(stranger).status()).as(call.toString()).isEqualTo(404);
    }
    JsonArray theirs = stranger.get("/meshworks").expect(200).getJsonArray("meshworks");
    assertThat(theirs).hasSize(1);
    assertThat(team.owner().get("/meshworks/" + team.meshwork()).status()).as("nothing was touched").isEqualTo(200);
  }

  @Test
  @DisplayName("a guest reads its own meshwork, sees only it in the list, and gets 404 for any other")
  void guestReads() {
    Team team = client.team();
    Caller guest = client.guest(team.joined());
    for (ApiCall call : reads(team.meshwork(), team.agent())) {
      assertThat(call.as(guest).status()).as(call.toString()).isEqualTo(200);
    }
    JsonArray listed = guest.get("/meshworks").expect(200).getJsonArray("meshworks");
    assertThat(listed).hasSize(1);
    assertThat(listed.getJsonObject(0).getString("name")).isEqualTo(team.meshwork());

    String sibling = InvitesClient.fresh("sibling");
    team.owner().createMeshwork(sibling);
    assertThat(guest.get("/meshworks/" + sibling).status()).as("same owner, other meshwork").isEqualTo(404);
    Team other = client.team();
    assertThat(guest.get("/meshworks/" + other.meshwork()).status()).as("other owner").isEqualTo(404);
  }

  @Test
  @DisplayName("a guest or spectator in scope that writes, or reads what only the owner may, gets 403")
  void guestAndSpectatorWrites() {
    Team team = client.team();
    JsonObject link = team.owner().spectatorLink(team.meshwork());
    Caller guest = client.guest(team.joined());
    Caller spectator = client.spectator(link.getString("id"), team.meshworkId());
    for (ApiCall call : writesAndOwnerReads(team.meshwork(), team.agent())) {
      assertThat(call.as(guest).status()).as("guest " + call).isEqualTo(403);
      assertThat(call.as(spectator).status()).as("spectator " + call).isEqualTo(403);
    }
    for (ApiCall call : reads(team.meshwork(), team.agent())) {
      assertThat(call.as(spectator).status()).as("spectator " + call).isEqualTo(200);
    }
    assertThat(team.owner().get("/meshworks/" + team.meshwork() + "/agents").expect(200).getJsonArray("agents"))
        .as("nothing changed").hasSize(1);
    assertThat(guest.delete("/meshworks/" + team.meshwork()).error()).contains("only the meshwork's owner");
  }

  @Test
  @DisplayName("the gateway's own token gets 403 on every route but resolve and join, and users get 403 on those two")
  void systemRoutes() {
    Team team = client.team();
    Caller system = client.system();
    for (ApiCall call : concat(reads(team.meshwork(), team.agent()), writesAndOwnerReads(team.meshwork(), team.agent()))) {
      assertThat(call.as(system).status()).as(call.toString()).isEqualTo(403);
    }
    assertThat(system.get("/meshworks").status()).isEqualTo(403);
    Caller guest = client.guest(team.joined());
    for (Caller user : List.of(team.owner(), guest)) {
      assertThat(user.post("/keys/resolve", new JsonObject().put("key", team.joined().getString("key"))).status()).isEqualTo(403);
      assertThat(user.post("/join", new JsonObject().put("token", "mc_inv_x").put("display_name", "x")).status()).isEqualTo(403);
    }
  }

  @Test
  @DisplayName("a guest or spectator token stops reaching the meshwork once the membership or link is revoked")
  void revokedScope() {
    Team team = client.team();
    JsonObject link = team.owner().spectatorLink(team.meshwork());
    Caller guest = client.guest(team.joined());
    Caller spectator = client.spectator(link.getString("id"), team.meshworkId());
    String path = "/meshworks/" + team.meshwork();
    team.owner().delete(path + "/members/" + team.joined().getString("member_id")).expect(200);
    team.owner().delete(path + "/spectator-links/" + link.getString("id")).expect(204);
    assertThat(guest.get(path).status()).isEqualTo(404);
    assertThat(guest.get("/meshworks").expect(200).getJsonArray("meshworks")).isEmpty();
    assertThat(spectator.get(path).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a guest token that pairs a membership with another meshwork, or holds no ids, reaches nothing")
  void mismatchedGuestToken() {
    Team a = client.team();
    Team b = client.team();
    Caller forged = client.guest(a.joined().getString("member_id"), b.meshworkId(), "builder");
    assertThat(forged.get("/meshworks/" + b.meshwork()).status()).isEqualTo(404);
    assertThat(forged.get("/meshworks/" + a.meshwork()).status()).isEqualTo(404);
    Caller garbage = client.guest("not-a-uuid", "also-not", "builder");
    assertThat(garbage.get("/meshworks").expect(200).getJsonArray("meshworks")).isEmpty();
  }

  private static List<ApiCall> concat(List<ApiCall> a, List<ApiCall> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
