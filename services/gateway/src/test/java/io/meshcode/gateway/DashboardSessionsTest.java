package io.meshcode.gateway;

import static io.meshcode.gateway.GatewayFixture.errorMessage;
import static io.meshcode.gateway.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Dashboard sessions")
class DashboardSessionsTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  /** Mints a ticket with {@code key} and redeems it: answers the redeem's body. */
  private static JsonObject signIn(GatewayFixture gateway, String key) {
    HttpResponse<String> minted = gateway.call("POST", "/v1/tickets", key, null);
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    HttpResponse<String> redeemed = redeem(gateway, json(minted).getString("ticket"));
    assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
    assertThat(redeemed.headers().firstValue("Cache-Control")).hasValue("no-store");
    return json(redeemed);
  }

  private static HttpResponse<String> redeem(GatewayFixture gateway, String ticket) {
    return gateway.call("POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", ticket).encode());
  }

  private static int status(String method, String path, String key) {
    return mesh.call(method, path, key, method.equals("POST") ? "{}" : null).statusCode();
  }

  /** A spare owner key of a new account (so revoking it leaves the account a key): {@code [owner key, spare key, spare id]}. */
  private static String[] ownerWithSpare(String name) {
    String owner = mesh.newOwner(name);
    JsonObject spare = json(mesh.call("POST", "/v1/keys", owner, "{\"label\":\"spare\"}"));
    return new String[] {owner, spare.getString("key"), spare.getString("id")};
  }

  @Test
  @DisplayName("redeeming a ticket opens a 12-hour session that acts exactly as the key that minted it")
  void sessionActsAsKey() {
    String owner = mesh.newOwner("Ada");
    JsonObject signedIn = signIn(mesh, owner);
    String session = signedIn.getString("session");
    assertThat(SecretKeys.isWellFormed(session, SecretKeys.DASHBOARD_SESSION)).isTrue();
    Duration left = Duration.between(OffsetDateTime.now(), OffsetDateTime.parse(signedIn.getString("expires_at")));
    assertThat(left).isBetween(Duration.ofHours(12).minusMinutes(1), Duration.ofHours(12).plusMinutes(1));

    JsonObject me = json(mesh.call("GET", "/v1/me", owner, null));
    assertThat(signedIn.getJsonObject("me")).isEqualTo(me);
    assertThat(json(mesh.call("GET", "/v1/me", session, null))).isEqualTo(me);
    assertThat(me.getJsonObject("account").getString("name")).isEqualTo("Ada");

    JsonObject viaKey = json(mesh.call("GET", "/v1/meshworks/alpha", owner, null));
    JsonObject viaSession = json(mesh.call("GET", "/v1/meshworks/alpha", session, null));
    assertThat(viaSession.getString("service")).isEqualTo("invites");
    assertThat(viaSession.getJsonObject("claims").getString("sub")).isEqualTo(viaKey.getJsonObject("claims").getString("sub"));
    assertThat(viaSession.getJsonObject("claims").getString("kind")).isEqualTo("owner");
    assertThat(viaSession.encode()).doesNotContain(session).doesNotContain(owner);
  }

  @Test
  @DisplayName("a guest's or spectator's session has exactly its key's scope, and fails once the key is revoked")
  void scopedSessions() {
    String guestKey = SecretKeys.generate(SecretKeys.GUEST);
    String memberId = Ids.newId();
    String meshworkId = Ids.newId();
    mesh.upstreams.addScopedKey(guestKey, new JsonObject().put("kind", "guest").put("member_id", memberId)
        .put("meshwork_id", meshworkId).put("meshwork", "alpha").put("agent", "backend").put("display_name", "Sam"));
    String token = SecretKeys.generate(SecretKeys.SPECTATOR);
    mesh.upstreams.addScopedKey(token, new JsonObject().put("kind", "spectator").put("link_id", Ids.newId())
        .put("meshwork_id", meshworkId).put("meshwork", "alpha"));

    JsonObject guest = signIn(mesh, guestKey);
    assertThat(guest.getJsonObject("me")).isEqualTo(json(mesh.call("GET", "/v1/me", guestKey, null)));
    String guestSession = guest.getString("session");
    JsonObject claims = json(mesh.call("GET", "/v1/meshworks/alpha", guestSession, null)).getJsonObject("claims");
    assertThat(claims.getString("kind")).isEqualTo("guest");
    assertThat(claims.getString("sub")).isEqualTo(memberId);
    assertThat(claims.getString("meshwork")).isEqualTo(meshworkId);
    assertThat(claims.getString("agent")).isEqualTo("backend");
    assertThat(status("GET", "/v1/keys", guestSession)).as("owner-only, as for the key").isEqualTo(403);

    String spectatorSession = signIn(mesh, token).getString("session");
    assertThat(json(mesh.call("GET", "/v1/me", spectatorSession, null)).getString("kind")).isEqualTo("spectator");

    mesh.upstreams.removeScopedKey(guestKey);
    HttpResponse<String> revoked = mesh.call("GET", "/v1/me", guestSession, null);
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(errorMessage(revoked)).contains("revoked");
    assertThat(status("GET", "/v1/me", spectatorSession)).isEqualTo(200);
    mesh.upstreams.removeScopedKey(token);
    assertThat(status("GET", "/v1/meshworks/alpha", spectatorSession)).isEqualTo(401);
  }

  @Test
  @DisplayName("revoking the owner key that minted the ticket ends the session on the very next request")
  void ownerKeyRevoked() {
    String[] keys = ownerWithSpare("Grace");
    String session = signIn(mesh, keys[1]).getString("session");
    assertThat(status("GET", "/v1/me", session)).isEqualTo(200);
    assertThat(status("DELETE", "/v1/keys/" + keys[2], keys[0])).isEqualTo(204);
    HttpResponse<String> after = mesh.call("GET", "/v1/me", session, null);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(errorMessage(after)).isEqualTo("the key this dashboard session was signed in with has been revoked");
    assertThat(status("GET", "/v1/me", keys[0])).as("the account's other key").isEqualTo(200);
  }

  @Test
  @DisplayName("a ticket whose key was revoked before the redeem signs nobody in, and leaves no session behind")
  void keyRevokedBeforeRedeem() {
    String[] keys = ownerWithSpare("Linus");
    String ticket = json(mesh.call("POST", "/v1/tickets", keys[1], null)).getString("ticket");
    assertThat(status("DELETE", "/v1/keys/" + keys[2], keys[0])).isEqualTo(204);
    HttpResponse<String> refused = redeem(mesh, ticket);
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(json(refused).getJsonObject("error").getString("code")).isEqualTo("ticket_invalid");
    assertThat(TestSql.count("SELECT count(*) FROM gateway.dashboard_sessions WHERE key_hash = ?", SecretKeys.hash(keys[1])))
        .isZero();
  }

  @Test
  @DisplayName("signing out ends the session (204, then 401); a key cannot sign out, and a session never outlives its expiry")
  void signOutAndExpiry() {
    String owner = mesh.newOwner("Barbara");
    String session = signIn(mesh, owner).getString("session");
    HttpResponse<String> withKey = mesh.call("DELETE", "/v1/sessions/current", owner, null);
    assertThat(withKey.statusCode()).isEqualTo(403);
    assertThat(errorMessage(withKey)).contains("carries a key, not a session");
    assertThat(status("DELETE", "/v1/sessions/current", session)).isEqualTo(204);
    assertThat(status("GET", "/v1/me", session)).isEqualTo(401);
    assertThat(status("DELETE", "/v1/sessions/current", session)).isEqualTo(401);
    assertThat(status("GET", "/v1/me", owner)).as("signing out leaves the key alone").isEqualTo(200);

    String expiring = signIn(mesh, owner).getString("session");
    assertThat(TestSql.update("UPDATE gateway.dashboard_sessions SET expires_at = now() - interval '1 second' WHERE session_hash = ?",
        SecretKeys.hash(expiring))).isEqualTo(1);
    HttpResponse<String> expired = mesh.call("GET", "/v1/me", expiring, null);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(errorMessage(expired)).contains("session has ended");
    assertThat(status("GET", "/v1/me", SecretKeys.generate(SecretKeys.DASHBOARD_SESSION))).isEqualTo(401);
    assertThat(status("GET", "/v1/me", "mc_ds_short")).isEqualTo(401);
  }

  @Test
  @DisplayName("a session cannot mint tickets, keys or accounts, saying why, though its key can")
  void noNewCredentials() {
    String session = signIn(mesh, mesh.adminKey).getString("session");
    for (String path : new String[] {"/v1/tickets", "/v1/keys", "/v1/accounts"}) {
      String body = path.equals("/v1/accounts") ? "{\"name\":\"Eve\"}" : "{}";
      HttpResponse<String> refused = mesh.call("POST", path, session, body);
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(errorMessage(refused)).as(path).contains("dashboard session cannot create tickets, keys or accounts");
      assertThat(mesh.call("POST", path, mesh.adminKey, body).statusCode()).as(path).isEqualTo(201);
    }
    assertThat(status("GET", "/v1/keys", session)).as("reading its keys is fine").isEqualTo(200);
  }

  @Test
  @DisplayName("only hashes of sessions, tickets and keys are stored")
  void onlyHashesStored() {
    String owner = mesh.newOwner("Margaret");
    JsonObject minted = json(mesh.call("POST", "/v1/tickets", owner, null));
    String ticket = minted.getString("ticket");
    String session = json(redeem(mesh, ticket)).getString("session");
    String stored = GatewayFixture.storedText("dashboard_sessions") + GatewayFixture.storedText("dashboard_tickets");
    for (String secret : new String[] {owner, ticket, session}) {
      assertThat(stored).doesNotContain(secret).doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));
    }
    assertThat(TestSql.count("SELECT count(*) FROM gateway.dashboard_sessions WHERE session_hash = ? AND key_hash = ?",
        SecretKeys.hash(session), SecretKeys.hash(owner))).isEqualTo(1);
  }

  @Test
  @DisplayName("the session lifetime is MESHCODE_DASHBOARD_SESSION_HOURS")
  void lifetimeSetting() {
    try (GatewayFixture shortLived = GatewayFixture.start(Map.of("MESHCODE_DASHBOARD_SESSION_HOURS", "2"))) {
      JsonObject signedIn = signIn(shortLived, shortLived.adminKey);
      Duration left = Duration.between(OffsetDateTime.now(), OffsetDateTime.parse(signedIn.getString("expires_at")));
      assertThat(left).isBetween(Duration.ofHours(2).minusMinutes(1), Duration.ofHours(2).plusMinutes(1));
    }
  }
}
