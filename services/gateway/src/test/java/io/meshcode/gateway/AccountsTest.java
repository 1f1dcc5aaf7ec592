package io.meshcode.gateway;

import static io.meshcode.gateway.GatewayFixture.errorMessage;
import static io.meshcode.gateway.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.ids.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Accounts and owner keys")
class AccountsTest {

  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start();
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("the admin creates an owner account whose key works at once and is not an admin")
  void adminCreatesAccount() {
    HttpResponse<String> created = mesh.call("POST", "/v1/accounts", mesh.adminKey, "{\"name\":\"Ada\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = json(created).getJsonObject("key").getString("key");
    assertThat(SecretKeys.isWellFormed(key, SecretKeys.OWNER)).isTrue();

    JsonObject me = json(mesh.call("GET", "/v1/me", key, null));
    assertThat(me.getString("kind")).isEqualTo("owner");
    assertThat(me.getJsonObject("account").getString("name")).isEqualTo("Ada");
    assertThat(me.getJsonObject("account").getBoolean("admin")).isFalse();

    HttpResponse<String> notAdmin = mesh.call("POST", "/v1/accounts", key, "{\"name\":\"Eve\"}");
    assertThat(notAdmin.statusCode()).isEqualTo(403);
    assertThat(errorMessage(notAdmin)).contains("admin");
  }

  @Test
  @DisplayName("an owner creates, lists and revokes their own keys; a revoked key fails on the next request")
  void ownKeys() {
    String owner = mesh.newOwner("Grace");
    HttpResponse<String> created = mesh.call("POST", "/v1/keys", owner, "{\"label\":\"laptop\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject second = json(created);
    String secondKey = second.getString("key");
    assertThat(mesh.call("GET", "/v1/me", secondKey, null).statusCode()).isEqualTo(200);

    HttpResponse<String> listed = mesh.call("GET", "/v1/keys", owner, null);
    JsonArray keys = json(listed).getJsonArray("keys");
    assertThat(keys).hasSize(2);
    assertThat(listed.body()).doesNotContain(secondKey).contains(second.getString("prefix")).contains("laptop");

    assertThat(mesh.call("DELETE", "/v1/keys/" + second.getString("id"), owner, null).statusCode()).isEqualTo(204);
    HttpResponse<String> afterRevoke = mesh.call("GET", "/v1/me", secondKey, null);
    assertThat(afterRevoke.statusCode()).isEqualTo(401);
    assertThat(errorMessage(afterRevoke)).contains("revoked");
    assertThat(mesh.call("GET", "/v1/me", owner, null).statusCode()).isEqualTo(200);
    assertThat(GatewayFixture.storedKeyText()).as("only hashes are stored").doesNotContain(secondKey.substring(3)).doesNotContain(owner.substring(3));
  }

  @Test
  @DisplayName("owners never reach each other's keys")
  void ownersIsolated() {
    String alice = mesh.newOwner("Alice");
    String bob = mesh.newOwner("Bob");
    String bobKeyId = json(mesh.call("GET", "/v1/keys", bob, null)).getJsonArray("keys").getJsonObject(0).getString("id");
    assertThat(mesh.call("DELETE", "/v1/keys/" + bobKeyId, alice, null).statusCode()).isEqualTo(404);
    assertThat(mesh.call("GET", "/v1/keys", alice, null).body()).doesNotContain(bobKeyId);
    assertThat(mesh.call("GET", "/v1/me", bob, null).statusCode()).isEqualTo(200);
    assertThat(mesh.call("DELETE", "/v1/keys/" + Ids.newId(), alice, null).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("self-service sign-up is refused while the server's config switches it off")
  void signupOff() {
    HttpResponse<String> refused = mesh.call("POST", "/v1/signup", null, "{\"name\":\"Mallory\"}");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(errorMessage(refused)).contains("sign-up is switched off");
  }

  @Test
  @DisplayName("self-service sign-up answers a working owner key when the config allows it")
  void signupOn() {
    try (GatewayFixture open = GatewayFixture.start(Map.of("MESHCODE_SIGNUP_ENABLED", "true"))) {
      HttpResponse<String> created = open.call("POST", "/v1/signup", null, "{\"name\":\"Linus\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String key = json(created).getJsonObject("key").getString("key");
      assertThat(json(open.call("GET", "/v1/me", key, null)).getJsonObject("account").getString("name")).isEqualTo("Linus");
    }
  }

  @Test
  @DisplayName("bad input is a 400 naming the field, and creates nothing")
  void badInput() {
    String owner = mesh.newOwner("Careful");
    int keysBefore = json(mesh.call("GET", "/v1/keys", owner, null)).getJsonArray("keys").size();
    for (String body : new String[] {
        "{\"label\":42}", "{\"label\":\"x\",\"admin\":true}", "{\"label\":\"" + "x".repeat(81) + "\"}",
        "[1,2]", "{not json", "{\"label\":\"tab\\u0007bell\"}"}) {
      HttpResponse<String> response = mesh.call("POST", "/v1/keys", owner, body);
      assertThat(response.statusCode()).as(body + " -> " + response.body()).isEqualTo(400);
      assertThat(json(response).getJsonObject("error").getString("code")).isEqualTo("bad_request");
    }
    assertThat(errorMessage(mesh.call("POST", "/v1/keys", owner, "{\"label\":42}"))).contains("label");
    assertThat(errorMessage(mesh.call("POST", "/v1/accounts", mesh.adminKey, "{}"))).contains("name");
    assertThat(errorMessage(mesh.call("DELETE", "/v1/keys/%27%3B%20drop%20table%20api_keys%3B--", owner, null))).contains("keyId");
    assertThat(json(mesh.call("GET", "/v1/keys", owner, null)).getJsonArray("keys")).hasSize(keysBefore);
  }
}
