package io.meshcode.gateway;

import static io.meshcode.gateway.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.meshcode.gateway.AccountRepository.OwnerKey;
import io.meshcode.testkit.TestHttp;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Onboarding: GET /v1/me says whether the CLI has logged in with one of the account's keys")
class OnboardingTest {

  private static final Map<String, String> CLI = Map.of("User-Agent", "meshcode-cli");

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static HttpResponse<String> asCli(String key, String path) {
    HttpResponse<String> answer = TestHttp.send(mesh.port(), "GET", path, "Bearer " + key, null, CLI);
    assertThat(answer.statusCode()).as(answer.body()).isLessThan(500);
    return answer;
  }

  private static JsonObject onboarding(String keyOrSession) {
    HttpResponse<String> me = mesh.call("GET", "/v1/me", keyOrSession, null);
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    return json(me).getJsonObject("onboarding");
  }

  /** Mints a ticket with {@code key} (not as the CLI) and redeems it: answers the redeem's body. */
  private static JsonObject signIn(String key) {
    HttpResponse<String> minted = mesh.call("POST", "/v1/tickets", key, null);
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    return json(mesh.call("POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", json(minted).getString("ticket")).encode()));
  }

  @Test
  @DisplayName("false before the CLI's first call, whatever else called; true with its time from the CLI's first call on, for every key of the account")
  void firstCliCall() {
    String owner = mesh.newOwner("Ada");
    String laptop = json(mesh.call("POST", "/v1/keys", owner, "{\"label\":\"laptop\"}")).getString("key");
    assertThat(onboarding(owner)).isEqualTo(new JsonObject().put("key_created", true).put("cli_logged_in", false).putNull("cli_logged_in_at"));
    TestHttp.send(mesh.port(), "GET", "/v1/keys", "Bearer " + owner, null, Map.of("User-Agent", "meshcode-mcp"));
    TestHttp.send(mesh.port(), "GET", "/v1/keys", "Bearer " + owner, null, Map.of("User-Agent", "meshcode-clippy"));
    assertThat(onboarding(owner).getBoolean("cli_logged_in")).as("another client, or a name that only starts alike").isFalse();

    Instant before = Instant.now().minusSeconds(1);
    asCli(laptop, "/v1/meshworks");
    JsonObject after = onboarding(owner);
    assertThat(after.getBoolean("cli_logged_in")).isTrue();
    Instant at = Instant.parse(after.getString("cli_logged_in_at"));
    assertThat(at).isBetween(before, Instant.now().plusSeconds(1));

    asCli(owner, "/v1/me");
    assertThat(onboarding(laptop)).as("set once: a later CLI call leaves the first time").isEqualTo(after);
  }

  @Test
  @DisplayName("a dashboard session's calls never count as the CLI's, whatever they say; the session sees the flag as soon as the CLI has called")
  void dashboardSession() {
    String owner = mesh.newOwner("Grace");
    JsonObject signedIn = signIn(owner);
    assertThat(signedIn.getJsonObject("me").getJsonObject("onboarding").getBoolean("cli_logged_in")).isFalse();
    String session = signedIn.getString("session");
    asCli(session, "/v1/me");
    asCli(session, "/v1/meshworks");
    assertThat(onboarding(session).getBoolean("cli_logged_in")).isFalse();
    assertThat(onboarding(owner).getBoolean("cli_logged_in")).isFalse();

    asCli(owner, "/v1/meshworks");
    JsonObject polled = onboarding(session);
    assertThat(polled.getBoolean("cli_logged_in")).isTrue();
    assertThat(polled.getString("cli_logged_in_at")).isNotNull();
  }

  @Test
  @DisplayName("a guest key's CLI calls set nobody's flag, and a guest's or spectator's /v1/me has no onboarding")
  void guestsAndSpectators() {
    String owner = mesh.newOwner("Linus");
    String guestKey = SecretKeys.generate(SecretKeys.GUEST);
    mesh.upstreams.addScopedKey(guestKey, new JsonObject().put("kind", "guest").put("member_id", Ids.newId())
        .put("meshwork_id", Ids.newId()).put("meshwork", "alpha").put("agent", "backend").put("display_name", "Sam"));
    String token = SecretKeys.generate(SecretKeys.SPECTATOR);
    mesh.upstreams.addScopedKey(token, new JsonObject().put("kind", "spectator").put("link_id", Ids.newId())
        .put("meshwork_id", Ids.newId()).put("meshwork", "alpha"));

    assertThat(json(asCli(guestKey, "/v1/me")).containsKey("onboarding")).isFalse();
    assertThat(json(asCli(token, "/v1/me")).containsKey("onboarding")).isFalse();
    assertThat(onboarding(owner).getBoolean("cli_logged_in")).isFalse();
  }

  @Test
  @DisplayName("an account already marked costs no write: the key look-up's answer says so, and nothing touches the database")
  void noWriteOnceSeen() {
    CliFirstUse cliUse = new CliFirstUse(new AccountRepository(null));
    OwnerKey seen = new OwnerKey(Ids.newId(), new Account(Ids.newId(), "Ada", false), true);
    assertThat(cliUse.note(seen, "meshcode-cli").succeeded()).isTrue();
    OwnerKey unseen = new OwnerKey(Ids.newId(), new Account(Ids.newId(), "Ada", false), false);
    assertThat(cliUse.note(unseen, "Mozilla/5.0").succeeded()).as("not the CLI: nothing to write").isTrue();
    assertThat(cliUse.note(unseen, null).succeeded()).isTrue();
  }

  @Test
  @DisplayName("the CLI is known by its product token, with or without a version")
  void cliUserAgent() {
    assertThat(CliFirstUse.isCli("meshcode-cli")).isTrue();
    assertThat(CliFirstUse.isCli("meshcode-cli/1.4.0")).isTrue();
    assertThat(CliFirstUse.isCli("meshcode-cli (linux)")).isTrue();
    assertThat(CliFirstUse.isCli("meshcode-mcp")).isFalse();
    assertThat(CliFirstUse.isCli("meshcode-clippy")).isFalse();
    assertThat(CliFirstUse.isCli("Mozilla/5.0 meshcode-cli")).isFalse();
    assertThat(CliFirstUse.isCli(null)).isFalse();
  }
}
