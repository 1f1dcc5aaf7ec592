package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Drives a real invites service over HTTP the way the gateway does: every call carries an internal
 * token for the caller it stands for (owner, guest, spectator or the gateway itself).
 */
final class InvitesClient implements AutoCloseable {

  static final String PUBLIC_URL = "https://mesh.example.test";

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private final RunningService service;
  private final Vertx vertx;
  private final InternalTokens tokens;

  private InvitesClient(RunningService service, Vertx vertx) {
    this.service = service;
    this.vertx = vertx;
    this.tokens = InternalTokens.signer(vertx, TestInfra.get().internalKeys());
  }

  static InvitesClient start() {
    RunningService service = TestServices.start("invites",
        (env, metrics) -> new InvitesVerticle(InvitesSettings.from(env, Main.DEFAULT_PORT), metrics),
        Map.of("MESHCODE_PUBLIC_URL", PUBLIC_URL + "/"));
    return new InvitesClient(service, Vertx.vertx());
  }

  @Override
  public void close() {
    TestServices.stop(service);
    TestServices.await(vertx.close());
  }

  /** A lowercase name no other test uses. */
  static String fresh(String prefix) {
    return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
  }

  Caller owner() {
    return owner(Ids.newId());
  }

  Caller owner(String account) {
    return new Caller(new InternalPrincipal(account, KeyKind.OWNER, null, null));
  }

  Caller guest(String memberId, String meshworkId, String agent) {
    return new Caller(new InternalPrincipal(memberId, KeyKind.GUEST, meshworkId, agent));
  }

  /** The guest a join answer stands for, as the gateway would mint it after resolving the key. */
  Caller guest(JsonObject joined) {
    return guest(joined.getString("member_id"), joined.getString("meshwork_id"), joined.getString("agent"));
  }

  Caller spectator(String linkId, String meshworkId) {
    return new Caller(new InternalPrincipal(linkId, KeyKind.SPECTATOR, meshworkId, null));
  }

  Caller system() {
    return new Caller(InternalPrincipal.system());
  }

  /** A status and JSON body (empty for 204). */
  record Response(int status, JsonObject body) {

    String error() {
      return body.getJsonObject("error").getString("message");
    }

    /** The body, after checking the status (the body shows in the failure message). */
    JsonObject expect(int expected) {
      assertThat(status).as(body.encode()).isEqualTo(expected);
      return body;
    }
  }

  /** Calls as one principal. {@code body} is a JsonObject, or a String sent verbatim. */
  final class Caller {

    private final InternalPrincipal principal;

    private Caller(InternalPrincipal principal) {
      this.principal = principal;
    }

    String account() {
      return principal.account();
    }

    Response get(String path) {
      return send("GET", path, null);
    }

    Response post(String path, Object body) {
      return send("POST", path, body);
    }

    Response patch(String path, Object body) {
      return send("PATCH", path, body);
    }

    Response delete(String path) {
      return send("DELETE", path, null);
    }

    Response send(String method, String path, Object body) {
      return TestServices.await(sendAsync(method, path, body));
    }

    CompletableFuture<Response> sendAsync(String method, String path, Object body) {
      String text = body == null ? "" : body instanceof JsonObject json ? json.encode() : body.toString();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/v1" + path))
          .timeout(Duration.ofSeconds(20))
          .header("Authorization", "Bearer " + tokens.issue(principal))
          .header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text))
          .build();
      return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> new Response(
          response.statusCode(), response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body())));
    }

    // The steps most tests start from, each checked on the way.

    JsonObject createMeshwork(String name) {
      return post("/meshworks", new JsonObject().put("name", name)).expect(201);
    }

    JsonObject addAgent(String meshwork, String agent) {
      return post("/meshworks/" + meshwork + "/agents", new JsonObject().put("name", agent)).expect(201);
    }

    JsonObject invite(String meshwork, String agent) {
      return post("/meshworks/" + meshwork + "/invites", new JsonObject().put("agent", agent)).expect(201);
    }

    JsonObject spectatorLink(String meshwork) {
      return post("/meshworks/" + meshwork + "/spectator-links", new JsonObject()).expect(201);
    }
  }

  /** Redeems {@code token} as the gateway does for a caller who has no key yet. */
  Response join(String token, String displayName) {
    return system().post("/join", new JsonObject().put("token", token).put("display_name", displayName));
  }

  Response resolve(String key) {
    return system().post("/keys/resolve", new JsonObject().put("key", key));
  }

  /** A fresh meshwork with one agent slot, and a guest who joined it into that slot. */
  record Team(Caller owner, String meshwork, String meshworkId, String agent, JsonObject joined) {}

  Team team() {
    Caller owner = owner();
    String meshwork = fresh("team");
    String meshworkId = owner.createMeshwork(meshwork).getString("id");
    owner.addAgent(meshwork, "builder");
    String token = owner.invite(meshwork, "builder").getString("token");
    JsonObject joined = join(token, "Ada").expect(201);
    return new Team(owner, meshwork, meshworkId, "builder", joined);
  }

  /** Runs SQL against the invites schema directly, as a test's way to move time or look inside. */
  static int sql(String statement, Object... params) {
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement ps = conn.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(statement + ": " + e.getMessage(), e);
    }
  }

  static long count(String query, Object... params) {
    try (Connection conn = TestInfra.get().openJdbc(); PreparedStatement ps = conn.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (var rows = ps.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(query + ": " + e.getMessage(), e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
