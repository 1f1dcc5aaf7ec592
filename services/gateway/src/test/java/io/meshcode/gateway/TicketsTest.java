package io.meshcode.gateway;

import static io.meshcode.gateway.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("One-time dashboard tickets")
class TicketsTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  private static JsonObject mint(String key) {
    HttpResponse<String> minted = mesh.call("POST", "/v1/tickets", key, null);
    assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
    assertThat(minted.headers().firstValue("Cache-Control")).hasValue("no-store");
    return json(minted);
  }

  private static HttpResponse<String> redeem(String ticket) {
    return mesh.call("POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", ticket).encode());
  }

  @Test
  @DisplayName("a key mints a 60-second ticket whose dashboard URL carries it in the fragment only")
  void mint() {
    JsonObject minted = mint(mesh.newOwner("Ada"));
    String ticket = minted.getString("ticket");
    assertThat(SecretKeys.isWellFormed(ticket, "mc_tk_")).isTrue();
    assertThat(minted.getString("url")).isEqualTo("http://127.0.0.1:8080/dashboard#ticket=" + ticket);
    Duration left = Duration.between(OffsetDateTime.now(), OffsetDateTime.parse(minted.getString("expires_at")));
    assertThat(left).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
  }

  @Test
  @DisplayName("a ticket redeems once, without a key, into a session for exactly who minted it; a second redeem is 404")
  void redeemOnce() {
    String key = mesh.newOwner("Grace");
    String ticket = mint(key).getString("ticket");
    HttpResponse<String> first = redeem(ticket);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonObject me = json(first).getJsonObject("me");
    assertThat(me.getString("kind")).isEqualTo("owner");
    assertThat(me.getJsonObject("account").getString("name")).isEqualTo("Grace");
    String session = json(first).getString("session");
    assertThat(SecretKeys.isWellFormed(session, SecretKeys.DASHBOARD_SESSION)).isTrue();
    assertThat(first.body().replace(session, "")).doesNotContain("mc_");

    HttpResponse<String> second = redeem(ticket);
    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(json(second).getJsonObject("error").getString("code")).isEqualTo("ticket_invalid");
  }

  @Test
  @DisplayName("an expired, unknown or malformed ticket is 404, and minting needs a key")
  void refused() throws Exception {
    String ticket = mint(mesh.newOwner("Linus")).getString("ticket");
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement expire = conn.prepareStatement(
        "UPDATE gateway.dashboard_tickets SET expires_at = now() - interval '1 second' WHERE ticket_hash = ?")) {
      expire.setBytes(1, SecretKeys.hash(ticket));
      assertThat(expire.executeUpdate()).isEqualTo(1);
    }
    assertThat(redeem(ticket).statusCode()).isEqualTo(404);
    assertThat(redeem(SecretKeys.generate("mc_tk_")).statusCode()).isEqualTo(404);
    assertThat(redeem("mc_tk_short").statusCode()).isEqualTo(404);
    assertThat(mesh.call("POST", "/v1/tickets", null, null).statusCode()).isEqualTo(401);
    assertThat(mesh.call("POST", "/v1/tickets/redeem", null, "{}").statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("only a ticket's hash is stored, with the hash of the key that minted it")
  void onlyHashStored() {
    String key = mesh.newOwner("Barbara");
    String ticket = mint(key).getString("ticket");
    String stored = GatewayFixture.storedText("dashboard_tickets");
    assertThat(stored).doesNotContain(ticket).doesNotContain(ticket.substring(6)).doesNotContain(key.substring(3));
    assertThat(TestSql.count("SELECT count(*) FROM gateway.dashboard_tickets WHERE ticket_hash = ? AND key_hash = ?",
        SecretKeys.hash(ticket), SecretKeys.hash(key))).isEqualTo(1);
  }
}
