package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.meshcode.invites.InvitesClient.Caller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Invites")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvitesTest {

  @RegisterExtension
  static final InvitesClient client = InvitesClient.perClass();

  private Caller owner;
  private String mw;

  @BeforeAll
  void start() {
    owner = client.owner();
    mw = InvitesClient.fresh("inv");
    owner.createMeshwork(mw);
    owner.post("/meshworks/" + mw + "/agents", new JsonObject().put("name", "coder").put("role", "writes code")).expect(201);
  }

  @AfterAll
  void stop() {
  }

  @Test
  @DisplayName("an invite carries a one-time token and a join URL on the public URL, valid 7 days by default")
  void issue() {
    JsonObject invite = owner.post("/meshworks/" + mw + "/invites", new JsonObject().put("agent", "coder").put("role", "lead")).expect(201);
    String token = invite.getString("token");
    assertThat(SecretKeys.isWellFormed(token, SecretKeys.INVITE)).isTrue();
    assertThat(invite.getString("join_url")).isEqualTo(InvitesClient.PUBLIC_URL + "/join/" + token);
    assertThat(invite.getString("agent")).isEqualTo("coder");
    assertThat(invite.getString("role")).isEqualTo("lead");
    Instant created = Instant.parse(invite.getString("created_at"));
    assertThat(Instant.parse(invite.getString("expires_at"))).isCloseTo(created.plus(Duration.ofDays(7)), within(1, ChronoUnit.SECONDS));

    JsonObject month = owner.post("/meshworks/" + mw + "/invites", new JsonObject().put("agent", "coder").put("days", 30)).expect(201);
    assertThat(month.getValue("role")).as("no role: the slot keeps its own").isNull();
    assertThat(Duration.between(Instant.parse(month.getString("created_at")), Instant.parse(month.getString("expires_at"))).toDays()).isEqualTo(30);

    JsonObject listed = find(list(), invite.getString("id"));
    assertThat(listed.getString("state")).isEqualTo("outstanding");
    assertThat(listed.containsKey("token")).as("the token is shown once").isFalse();
  }

  @Test
  @DisplayName("a bad invite request is a 400 naming the field, an unknown slot a 404, and no invite is made")
  void badRequests() {
    int before = list().size();
    String path = "/meshworks/" + mw + "/invites";
    assertError(owner.post(path, new JsonObject().put("agent", "coder").put("days", 31)), 400, "'days'");
    assertError(owner.post(path, new JsonObject().put("agent", "coder").put("days", 0)), 400, "'days'");
    assertError(owner.post(path, new JsonObject().put("agent", "coder").put("days", "7")), 400, "'days' must be a whole number");
    assertError(owner.post(path, new JsonObject().put("agent", "coder").put("days", 1.5)), 400, "'days'");
    assertError(owner.post(path, new JsonObject().put("agent", "coder").put("role", "r".repeat(201))), 400, "'role'");
    assertError(owner.post(path, new JsonObject().put("agent", "Coder")), 400, "'agent'");
    assertError(owner.post(path, new JsonObject()), 400, "'agent' is required");
    assertError(owner.post(path, new JsonObject().put("agent", "coder").put("token", "mine")), 400, "unknown field 'token'");
    assertError(owner.post(path, new JsonObject().put("agent", "ghost")), 404, "no agent named 'ghost'");
    assertThat(list()).hasSize(before);
  }

  @Test
  @DisplayName("redeeming gives a scoped guest key once, and the slot takes the invite's role")
  void join() {
    String agent = InvitesClient.fresh("slot");
    owner.post("/meshworks/" + mw + "/agents", new JsonObject().put("name", agent).put("role", "old role")).expect(201);
    JsonObject invite = owner.post("/meshworks/" + mw + "/invites", new JsonObject().put("agent", agent).put("role", "new role")).expect(201);

    JsonObject joined = client.join(invite.getString("token"), "  Grace Hopper ").expect(201);
    assertThat(SecretKeys.isWellFormed(joined.getString("key"), SecretKeys.GUEST)).isTrue();
    assertThat(joined.getString("meshwork")).isEqualTo(mw);
    assertThat(joined.getString("meshwork_id")).isEqualTo(owner.get("/meshworks/" + mw).expect(200).getString("id"));
    assertThat(joined.getString("agent")).isEqualTo(agent);
    assertThat(joined.getString("role")).isEqualTo("new role");
    assertThat(owner.get("/meshworks/" + mw + "/agents/" + agent).expect(200).getString("role")).isEqualTo("new role");

    JsonObject listed = find(list(), invite.getString("id"));
    assertThat(listed.getString("state")).isEqualTo("redeemed");
    assertThat(listed.getString("redeemed_by")).isEqualTo(joined.getString("member_id"));
    assertThat(listed.getString("redeemed_at")).isNotBlank();
    JsonObject member = owner.get("/meshworks/" + mw + "/members").expect(200).getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> joined.getString("member_id").equals(m.getString("id"))).findFirst().orElseThrow();
    assertThat(member.getString("display_name")).isEqualTo("Grace Hopper");

    assertError(client.join(invite.getString("token"), "Again"), 409, "this invite was already used");
  }

  @Test
  @DisplayName("ten parallel redeems of one invite: exactly one gets a key, the other nine a 409")
  void concurrentRedeem() {
    String token = owner.invite(mw, "coder").getString("token");
    Caller system = client.system();
    List<CompletableFuture<ApiResponse>> attempts = IntStream.range(0, 10)
        .mapToObj(i -> system.sendAsync("POST", "/join", new JsonObject().put("token", token).put("display_name", "racer " + i)))
        .toList();
    Map<Integer, Long> byStatus = attempts.stream().map(CompletableFuture::join)
        .collect(Collectors.groupingBy(ApiResponse::status, Collectors.counting()));
    assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, 9L));
    String meshworkId = owner.get("/meshworks/" + mw).expect(200).getString("id");
    assertThat(TestSql.count("SELECT count(*) FROM invites.members WHERE meshwork_id = ?::uuid AND display_name LIKE 'racer %'", meshworkId))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("an expired invite answers 410 with the day it expired, and lists as expired")
  void expired() {
    JsonObject invite = owner.invite(mw, "coder");
    TestSql.update("UPDATE invites.invites SET expires_at = timestamptz '2024-03-05 10:00:00+00' WHERE id = ?::uuid", invite.getString("id"));
    assertError(client.join(invite.getString("token"), "Late"), 410, "this invite expired on 2024-03-05");
    assertThat(client.join(invite.getString("token"), "Late").body().getJsonObject("error").getString("code")).isEqualTo("gone");
    assertThat(find(list(), invite.getString("id")).getString("state")).isEqualTo("expired");
  }

  @Test
  @DisplayName("a revoked, unknown or malformed invite token answers 404")
  void revokedUnknownMalformed() {
    JsonObject invite = owner.invite(mw, "coder");
    owner.delete("/meshworks/" + mw + "/invites/" + invite.getString("id")).expect(200);
    assertThat(find(list(), invite.getString("id")).getString("state")).isEqualTo("revoked");
    for (String token : List.of(invite.getString("token"), SecretKeys.generate(SecretKeys.INVITE), "mc_inv_short", "garbage",
        SecretKeys.generate(SecretKeys.GUEST), "x".repeat(512))) {
      assertError(client.join(token, "Nobody"), 404, "no such invite (it may have been revoked)");
    }
  }

  @Test
  @DisplayName("revoking: an unknown id is a 404, a used invite a 409 naming who used it, revoking twice says it did nothing")
  void revoke() {
    String base = "/meshworks/" + mw + "/invites/";
    assertThat(owner.delete(base + Ids.newId()).status()).isEqualTo(404);
    assertThat(owner.delete(base + "not-an-id").status()).isEqualTo(404);
    JsonObject used = owner.invite(mw, "coder");
    client.join(used.getString("token"), "User").expect(201);
    assertError(owner.delete(base + used.getString("id")), 409, "this invite was already redeemed by User; remove the member instead");
    JsonObject unused = owner.invite(mw, "coder");
    JsonObject first = owner.delete(base + unused.getString("id")).expect(200);
    assertThat(first.getString("state")).isEqualTo("revoked");
    assertThat(first.getBoolean("revoked")).as("this request revoked it").isTrue();
    JsonObject again = owner.delete(base + unused.getString("id")).expect(200);
    assertThat(again.getString("state")).isEqualTo("revoked");
    assertThat(again.getBoolean("revoked")).as("revoked before: nothing done").isFalse();
    assertThat(find(list(), used.getString("id")).getString("redeemed_by_name")).isEqualTo("User");
    assertThat(find(list(), unused.getString("id")).containsKey("redeemed_by_name")).isFalse();
    Caller other = client.owner();
    String otherMw = InvitesClient.fresh("other");
    other.createMeshwork(otherMw);
    assertThat(other.delete("/meshworks/" + otherMw + "/invites/" + used.getString("id")).status())
        .as("an invite of another meshwork").isEqualTo(404);
  }

  @Test
  @DisplayName("a bad display name is a 400 and leaves the invite unused")
  void badDisplayName() {
    JsonObject invite = owner.invite(mw, "coder");
    String token = invite.getString("token");
    assertError(client.join(token, "   "), 400, "'display_name'");
    assertError(client.join(token, "n".repeat(81)), 400, "'display_name'");
    assertError(client.join(token, "two\nlines"), 400, "'display_name'");
    assertError(client.join(token, "esc\u001b[31m"), 400, "'display_name'");
    assertError(client.system().post("/join", new JsonObject().put("token", token)), 400, "'display_name' is required");
    assertError(client.system().post("/join", new JsonObject().put("token", token).put("display_name", "ok").put("agent", "x")), 400, "unknown field 'agent'");
    assertError(client.system().post("/join", new JsonObject().put("token", 5).put("display_name", "ok")), 400, "'token' must be a string");
    assertThat(find(list(), invite.getString("id")).getString("state")).isEqualTo("outstanding");
    client.join(token, "n".repeat(80)).expect(201);
  }

  private JsonArray list() {
    return owner.get("/meshworks/" + mw + "/invites").expect(200).getJsonArray("invites");
  }

  private static JsonObject find(JsonArray invites, String id) {
    Map<String, JsonObject> byId = invites.stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(i -> i.getString("id"), Function.identity()));
    assertThat(byId).containsKey(id);
    return byId.get(id);
  }

  private static void assertError(ApiResponse response, int status, String message) {
    assertThat(response.status()).as(response.body().encode()).isEqualTo(status);
    assertThat(response.error()).contains(message);
  }
}
