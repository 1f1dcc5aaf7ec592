package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.invites.InvitesClient.Team;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Links between meshworks")
class LinksTest {

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  @Test
  @DisplayName("a link is symmetric: both meshworks list each other, and either side can undo it")
  void symmetric() {
    Caller owner = client.owner();
    String a = InvitesClient.fresh("a");
    String b = InvitesClient.fresh("b");
    String c = InvitesClient.fresh("c");
    owner.createMeshwork(a);
    owner.createMeshwork(b);
    owner.createMeshwork(c);

    JsonObject linked = owner.post("/meshworks/" + a + "/links", new JsonObject().put("target", b)).expect(201);
    assertThat(linked).isEqualTo(new JsonObject().put("meshwork", a).put("target", b));
    owner.post("/meshworks/" + c + "/links", new JsonObject().put("target", a)).expect(201);
    assertThat(links(owner, a)).containsExactlyInAnyOrder(b, c);
    assertThat(links(owner, b)).containsExactly(a);

    ApiResponse reverse = owner.post("/meshworks/" + b + "/links", new JsonObject().put("target", a));
    assertThat(reverse.status()).isEqualTo(409);
    assertThat(reverse.error()).contains("already linked");

    owner.delete("/meshworks/" + b + "/links/" + a).expect(204);
    assertThat(links(owner, a)).containsExactly(c);
    assertThat(links(owner, b)).isEmpty();
    assertThat(owner.delete("/meshworks/" + b + "/links/" + a).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("linking to itself is a 400, to an unknown or another owner's meshwork a 404, with a bad name a 400")
  void badTargets() {
    Caller owner = client.owner();
    String a = InvitesClient.fresh("self");
    owner.createMeshwork(a);
    Team stranger = client.team();
    String path = "/meshworks/" + a + "/links";

    ApiResponse self = owner.post(path, new JsonObject().put("target", a));
    assertThat(self.status()).isEqualTo(400);
    assertThat(self.error()).contains("'target'");
    assertThat(owner.post(path, new JsonObject().put("target", "nowhere")).status()).isEqualTo(404);
    assertThat(owner.post(path, new JsonObject().put("target", stranger.meshwork())).status()).isEqualTo(404);
    ApiResponse bad = owner.post(path, new JsonObject().put("target", "Not Valid"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.error()).contains("'target'");
    assertThat(owner.post(path, new JsonObject().put("target", a).put("both", true)).status()).isEqualTo(400);
    assertThat(links(owner, a)).isEmpty();
    assertThat(links(stranger.owner(), stranger.meshwork())).isEmpty();
  }

  @Test
  @DisplayName("guests and spectators read their meshwork's links, so agents can address other-meshwork/agent")
  void guestsReadLinks() {
    Team team = client.team();
    String other = InvitesClient.fresh("other");
    team.owner().createMeshwork(other);
    team.owner().post("/meshworks/" + team.meshwork() + "/links", new JsonObject().put("target", other)).expect(201);
    JsonObject link = team.owner().spectatorLink(team.meshwork());

    assertThat(links(client.guest(team.joined()), team.meshwork())).containsExactly(other);
    assertThat(links(client.spectator(link.getString("id"), team.meshworkId()), team.meshwork())).containsExactly(other);
    assertThat(client.guest(team.joined()).get("/meshworks/" + other + "/links").status())
        .as("the linked meshwork itself stays out of the guest's reach").isEqualTo(404);
  }

  @Test
  @DisplayName("deleting a meshwork removes its links from the meshworks it was linked to")
  void deleteUnlinks() {
    Caller owner = client.owner();
    String a = InvitesClient.fresh("keep");
    String b = InvitesClient.fresh("drop");
    owner.createMeshwork(a);
    owner.createMeshwork(b);
    owner.post("/meshworks/" + a + "/links", new JsonObject().put("target", b)).expect(201);
    owner.delete("/meshworks/" + b).expect(204);
    assertThat(links(owner, a)).isEmpty();
  }

  private static List<String> links(Caller caller, String meshwork) {
    JsonArray links = caller.get("/meshworks/" + meshwork + "/links").expect(200).getJsonArray("links");
    return links.stream().map(String.class::cast).toList();
  }
}
