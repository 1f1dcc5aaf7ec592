package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.invites.InvitesClient.Team;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestSql;
import io.meshcode.core.auth.VouchedPerson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Members, spectator links and resolving their keys")
class MembersAndKeysTest {

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  @Test
  @DisplayName("the member list shows the owner first, then each live guest with its slot")
  void memberList() {
    Team team = client.team();
    JsonArray members = members(team);
    assertThat(members.getJsonObject(0)).isEqualTo(new JsonObject().put("id", "owner").put("kind", "owner").put("display_name", "owner"));
    JsonObject guest = members.getJsonObject(1);
    assertThat(guest.getString("id")).isEqualTo(team.joined().getString("member_id"));
    assertThat(guest.getString("kind")).isEqualTo("guest");
    assertThat(guest.getString("display_name")).isEqualTo("Ada");
    assertThat(guest.getString("agent")).isEqualTo("builder");
    assertThat(guest.getString("joined_at")).isNotBlank();
    assertThat(guest.containsKey("last_seen_at")).isTrue();
    assertThat(members).hasSize(2);
  }

  @Test
  @DisplayName("the owner's row shows the account name the gateway vouched for")
  void ownerNamed() {
    Team team = client.team();
    Caller named = client.as(team.owner().principal().vouching(new JsonObject().put(VouchedPerson.CLAIM, "Grace Hopper")));
    JsonObject owner = named.get("/meshworks/" + team.meshwork() + "/members").expect(200).getJsonArray("members").getJsonObject(0);
    assertThat(owner).isEqualTo(new JsonObject().put("id", "owner").put("kind", "owner").put("display_name", "Grace Hopper"));
  }

  @Test
  @DisplayName("a guest key resolves with all the gateway needs, until the member is removed: then 404")
  void revokeMember() {
    Team team = client.team();
    String key = team.joined().getString("key");
    JsonObject resolved = client.resolve(key).expect(200);
    assertThat(resolved).isEqualTo(new JsonObject()
        .put("kind", "guest")
        .put("member_id", team.joined().getString("member_id"))
        .put("meshwork_id", team.meshworkId())
        .put("meshwork", team.meshwork())
        .put("owner_account", team.owner().account())
        .put("agent", "builder")
        .put("display_name", "Ada"));

    String path = "/meshworks/" + team.meshwork() + "/members/";
    JsonObject revoked = team.owner().delete(path + team.joined().getString("member_id")).expect(200);
    assertThat(revoked).as("what the gateway needs to end the member's session").isEqualTo(new JsonObject()
        .put("id", team.joined().getString("member_id")).put("agent", "builder").put("display_name", "Ada")
        .put("meshwork_id", team.meshworkId()));
    assertThat(client.resolve(key).status()).isEqualTo(404);
    assertThat(members(team)).hasSize(1);
    assertThat(team.owner().delete(path + team.joined().getString("member_id")).status()).isEqualTo(404);
    assertThat(team.owner().delete(path + Ids.newId()).status()).isEqualTo(404);
    assertThat(team.owner().delete(path + "owner").status()).isEqualTo(400);
  }

  @Test
  @DisplayName("removing an agent slot revokes its members and outstanding invites")
  void removeSlot() {
    Team team = client.team();
    JsonObject pending = team.owner().invite(team.meshwork(), "builder");
    team.owner().delete("/meshworks/" + team.meshwork() + "/agents/builder").expect(204);
    assertThat(client.resolve(team.joined().getString("key")).status()).isEqualTo(404);
    assertThat(members(team)).hasSize(1);
    assertThat(client.join(pending.getString("token"), "Late").status()).isEqualTo(404);
    JsonArray invites = team.owner().get("/meshworks/" + team.meshwork() + "/invites").expect(200).getJsonArray("invites");
    assertThat(invites.stream().map(i -> ((JsonObject) i).getString("state"))).containsExactlyInAnyOrder("redeemed", "revoked");

    team.owner().addAgent(team.meshwork(), "builder");
    assertThat(client.resolve(team.joined().getString("key")).status()).as("a new slot of the same name revives nothing").isEqualTo(404);
  }

  @Test
  @DisplayName("resolving marks a member seen, at most once a minute")
  void lastSeen() {
    Team team = client.team();
    String memberId = team.joined().getString("member_id");
    assertThat(members(team).getJsonObject(1).getValue("last_seen_at")).isNull();
    client.resolve(team.joined().getString("key")).expect(200);
    Instant first = Instant.parse(members(team).getJsonObject(1).getString("last_seen_at"));
    assertThat(first).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(Duration.ofSeconds(5)));

    TestSql.update("UPDATE invites.members SET last_seen_at = now() - interval '30 seconds' WHERE id = ?::uuid", memberId);
    Instant recent = Instant.parse(members(team).getJsonObject(1).getString("last_seen_at"));
    client.resolve(team.joined().getString("key")).expect(200);
    assertThat(Instant.parse(members(team).getJsonObject(1).getString("last_seen_at"))).as("seen within the minute: no write").isEqualTo(recent);

    TestSql.update("UPDATE invites.members SET last_seen_at = now() - interval '2 minutes' WHERE id = ?::uuid", memberId);
    client.resolve(team.joined().getString("key")).expect(200);
    assertThat(Instant.parse(members(team).getJsonObject(1).getString("last_seen_at"))).isAfter(recent);
  }

  @Test
  @DisplayName("resolve answers 404 for unknown and malformed keys, owner keys and invite tokens")
  void resolveMisses() {
    Team team = client.team();
    String invite = team.owner().invite(team.meshwork(), "builder").getString("token");
    for (String key : List.of(SecretKeys.generate(SecretKeys.GUEST), SecretKeys.generate(SecretKeys.SPECTATOR),
        SecretKeys.generate(SecretKeys.OWNER), invite, "mc_sk_tooShort", "mc_sk_" + "!".repeat(43), "", "hello")) {
      assertThat(client.resolve(key).status()).as(key).isEqualTo(404);
    }
    assertThat(client.system().post("/keys/resolve", new JsonObject().put("key", 1)).status()).isEqualTo(400);
    assertThat(client.system().post("/keys/resolve", new JsonObject()).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a key's hash resolves as the key does, for the kind it names, until the member or link is revoked")
  void resolveByHash() {
    Team team = client.team();
    String key = team.joined().getString("key");
    JsonObject link = team.owner().post("/meshworks/" + team.meshwork() + "/spectator-links", new JsonObject()).expect(201);
    String token = link.getString("token");
    assertThat(resolveHash(key, "guest").expect(200)).isEqualTo(client.resolve(key).expect(200));
    assertThat(resolveHash(token, "spectator").expect(200)).isEqualTo(client.resolve(token).expect(200));
    assertThat(resolveHash(key, "spectator").status()).as("the kind must match").isEqualTo(404);
    assertThat(resolveHash(SecretKeys.generate(SecretKeys.GUEST), "guest").status()).isEqualTo(404);

    String hash = HexFormat.of().formatHex(SecretKeys.hash(key));
    for (JsonObject bad : List.of(new JsonObject().put("key_hash", hash),
        new JsonObject().put("key_hash", hash).put("kind", "owner"),
        new JsonObject().put("key_hash", hash.substring(2)).put("kind", "guest"),
        new JsonObject().put("key_hash", "zz" + hash.substring(2)).put("kind", "guest"),
        new JsonObject().put("key_hash", hash).put("kind", "guest").put("key", key))) {
      assertThat(client.system().post("/keys/resolve", bad).status()).as(bad.encode()).isEqualTo(400);
    }
    assertThat(team.owner().post("/keys/resolve", new JsonObject().put("key_hash", hash).put("kind", "guest")).status())
        .as("only the gateway resolves").isEqualTo(403);

    team.owner().delete("/meshworks/" + team.meshwork() + "/members/" + team.joined().getString("member_id")).expect(200);
    team.owner().delete("/meshworks/" + team.meshwork() + "/spectator-links/" + link.getString("id")).expect(204);
    assertThat(resolveHash(key, "guest").status()).isEqualTo(404);
    assertThat(resolveHash(token, "spectator").status()).isEqualTo(404);
  }

  private static ApiResponse resolveHash(String key, String kind) {
    return client.system().post("/keys/resolve",
        new JsonObject().put("key_hash", HexFormat.of().formatHex(SecretKeys.hash(key))).put("kind", kind));
  }

  @Test
  @DisplayName("a spectator link: made with a watch URL, listed without its token, resolved, then revoked to 404")
  void spectatorLinks() {
    Team team = client.team();
    String path = "/meshworks/" + team.meshwork() + "/spectator-links";
    JsonObject forever = team.owner().post(path, new JsonObject()).expect(201);
    String token = forever.getString("token");
    assertThat(SecretKeys.isWellFormed(token, SecretKeys.SPECTATOR)).isTrue();
    assertThat(forever.getString("url")).isEqualTo(InvitesClient.PUBLIC_URL + "/watch/" + token);
    assertThat(forever.getValue("expires_at")).isNull();
    assertThat(forever.containsKey("expires_at")).isTrue();
    JsonObject week = team.owner().post(path, new JsonObject().put("days", 7)).expect(201);
    assertThat(Duration.between(Instant.parse(week.getString("created_at")), Instant.parse(week.getString("expires_at"))).toDays()).isEqualTo(7);
    assertThat(team.owner().post(path, new JsonObject().put("days", 366)).status()).isEqualTo(400);
    assertThat(team.owner().post(path, new JsonObject().put("days", 0)).status()).isEqualTo(400);

    JsonArray listed = team.owner().get(path).expect(200).getJsonArray("spectator_links");
    assertThat(listed).hasSize(2);
    assertThat(listed.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "created_at", "expires_at", "revoked");
    assertThat(listed.getJsonObject(0).getBoolean("revoked")).isFalse();

    assertThat(client.resolve(token).expect(200)).isEqualTo(new JsonObject()
        .put("kind", "spectator")
        .put("link_id", forever.getString("id"))
        .put("meshwork_id", team.meshworkId())
        .put("meshwork", team.meshwork())
        .put("owner_account", team.owner().account()));

    team.owner().delete(path + "/" + forever.getString("id")).expect(204);
    assertThat(client.resolve(token).status()).isEqualTo(404);
    assertThat(team.owner().get(path).expect(200).getJsonArray("spectator_links")).hasSize(1);
    assertThat(team.owner().delete(path + "/" + forever.getString("id")).status()).isEqualTo(404);

    TestSql.update("UPDATE invites.spectator_links SET expires_at = now() - interval '1 second' WHERE id = ?::uuid", week.getString("id"));
    assertThat(client.resolve(week.getString("token")).status()).as("expired").isEqualTo(404);
  }

  @Test
  @DisplayName("deleting a meshwork ends its guest keys and spectator links")
  void deleteMeshworkEndsKeys() {
    Team team = client.team();
    String spectator = team.owner().spectatorLink(team.meshwork()).getString("token");
    assertThat(client.resolve(spectator).status()).isEqualTo(200);
    team.owner().delete("/meshworks/" + team.meshwork()).expect(204);
    assertThat(client.resolve(team.joined().getString("key")).status()).isEqualTo(404);
    assertThat(client.resolve(spectator).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("no invite token, guest key or spectator token is stored in plain text anywhere in the schema")
  void noPlaintextSecrets() throws Exception {
    Team team = client.team();
    JsonObject invite = team.owner().invite(team.meshwork(), "builder");
    JsonObject link = team.owner().spectatorLink(team.meshwork());
    List<String> secrets = List.of(team.joined().getString("key"), invite.getString("token"), link.getString("token"));
    StoredText.assertNoSecrets("invites", secrets);
  }

  private static JsonArray members(Team team) {
    Caller owner = team.owner();
    return owner.get("/meshworks/" + team.meshwork() + "/members").expect(200).getJsonArray("members");
  }
}
