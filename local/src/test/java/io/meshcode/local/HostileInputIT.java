package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.testkit.DatabaseFingerprint;
import io.meshcode.testkit.RawHttp;
import io.meshcode.testkit.TestSql;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the API document, called through the gateway with hostile input made from
 * the document itself ({@link HostileRequests}): each case must be refused with a 4xx in the error
 * shape, quickly, with an answer before the connection closes, and without changing anything in
 * the database.
 *
 * <p>The database fingerprint ({@link DatabaseFingerprint}) is taken before and after each
 * operation's batch of cases; when it moved, each case of the batch is replayed alone between two
 * fingerprints to name the one that changed it. It leaves out what moves by itself:
 * <ul>
 *   <li>every service's {@code outbox}: the relay deletes rows once published, whenever it runs;
 *   <li>{@code bus.sessions} and {@code bus.presence}: the presence sweep ends leases and ages
 *       statuses on its own clock, including those left by earlier test classes in this JVM; and
 *       the {@code agent.status} entries it reports into {@code bus.event_log} (with the log's
 *       per-meshwork counter, {@code bus.event_log_seq}); every other entry of the log counts;
 *   <li>{@code invites.members.last_seen_at}: set (at most once a minute) whenever a guest key
 *       resolves, which it does for a refused request too: the key itself was good.
 * </ul>
 * Tickets and dashboard sessions expired over an hour ago are deleted whenever a ticket is minted
 * or redeemed, by design; the expired ones here expired a minute before, so none is due.
 *
 * <p>The rate limits are raised so that every case reaches the check it is about (a 429 fails the
 * case); the limits have their own tests.
 */
@DisplayName("Hostile input at the gateway")
class HostileInputIT {

  static final DatabaseFingerprint.Exclusions EXCLUDED = new DatabaseFingerprint.Exclusions(
      List.of("*.outbox", "bus.sessions", "bus.presence", "bus.event_log_seq"),
      Map.of("invites.members", List.of("last_seen_at")),
      Map.of("bus.event_log", "type = 'agent.status'"));
  private static final int CASE_TIMEOUT_MS = 8_000;
  private static final long SLOW_MS = 5_000;
  /**
   * Refusals that change the database by design, by "operation: case": the tables they may
   * change, and why. A batch whose change is all theirs passes, and the effect is printed.
   */
  private static final Map<String, String> INTENDED_EFFECTS = Map.of(
      "redeemTicket: a ticket minted by a key revoked since", "gateway.dashboard_tickets");
  private static final String INTENDED_WHY = "a dashboard ticket is spent by the first redeem that finds it live, "
      + "even one refused because the key that minted it was revoked since: it could never sign anyone in again";

  private static MeshFixture mesh;
  private static JsonObject contract;

  @BeforeAll
  static void start() throws Exception {
    mesh = MeshFixture.start(1, Map.of(
        "MESHCODE_RATE_LIMIT_PER_MINUTE", "1000000",
        "MESHCODE_KEY_FAILURES_PER_MINUTE", "1000000",
        "MESHCODE_SIGNUP_ENABLED", "true"));
    Vertx vertx = Vertx.vertx();
    try {
      contract = OpenAPIContract.from(vertx, "openapi/meshcode.yaml").toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS).getRawContract();
    } finally {
      vertx.close();
    }
  }

  @AfterAll
  static void stop() {
    if (mesh != null) {
      mesh.close();
    }
  }

  /** What one case got. */
  record Outcome(int status, String body, long millis) {}

  @Test
  @DisplayName("refuses every hostile request to every operation with a clear 4xx, and changes nothing")
  void everyOperationRefusesHostileInput() {
    long started = System.nanoTime();
    HostileRequests requests = HostileRequests.of(contract, world());
    assertThat(requests.operations()).as("operations read from the document").hasSizeGreaterThan(50);
    assertThat(requests.operations()).as("cases per operation").allSatisfy((operation, count) ->
        assertThat(count).as(operation).isGreaterThanOrEqualTo(10));

    DatabaseFingerprint fingerprint = new DatabaseFingerprint(EXCLUDED);
    Map<String, String> before = fingerprint.settled(500, 40);
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new TreeMap<>();
    Map<String, List<HostileRequests.Case>> byOperation = requests.cases().stream()
        .collect(Collectors.groupingBy(HostileRequests.Case::operation, LinkedHashMap::new, Collectors.toList()));
    for (List<HostileRequests.Case> batch : byOperation.values()) {
      for (HostileRequests.Case hostile : batch) {
        Outcome outcome = send(hostile);
        statuses.merge(outcome.status(), 1, Integer::sum);
        String problem = problem(outcome);
        if (problem == null && (outcome.status() == 401 || outcome.status() == 403) && !hostile.aboutKey()) {
          problem = "refused for its key (" + outcome.status() + "), so its input was never checked: " + clip(outcome.body());
        }
        if (problem != null) {
          failures.add(name(hostile) + ": " + problem);
        }
      }
      Map<String, String> after = fingerprint.take();
      List<String> intended = batch.stream().map(c -> INTENDED_EFFECTS.get(c.operation() + ": " + c.description()))
          .filter(Objects::nonNull).toList();
      if (!after.equals(before) && intended.containsAll(DatabaseFingerprint.changed(before, after))) {
        System.out.println("Hostile input: intended effect in " + DatabaseFingerprint.changed(before, after) + ": " + INTENDED_WHY);
        before = after;
      } else if (!after.equals(before)) {
        failures.addAll(stateChanges(batch, fingerprint, DatabaseFingerprint.changed(before, after)));
        before = fingerprint.settled(500, 40);
      }
    }
    List<String> late = DatabaseFingerprint.changed(before, fingerprint.settled(500, 40));
    if (!late.isEmpty()) {
      failures.add("the database changed after the last case: " + late);
    }
    System.out.println(summary(requests, (System.nanoTime() - started) / 1_000_000) + "; answers by status: " + statuses);
    assertThat(failures).as("hostile cases not refused cleanly, of " + requests.cases().size()).isEmpty();
  }

  private static String name(HostileRequests.Case hostile) {
    return hostile.operation() + " [" + hostile.category() + "] " + hostile.description();
  }

  private static Outcome send(HostileRequests.Case hostile) {
    long start = System.nanoTime();
    String answer = RawHttp.firstAnswer(mesh.gatewayPort(0), hostile.request(), CASE_TIMEOUT_MS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    int split = answer.indexOf("\r\n\r\n");
    String body = split < 0 ? "" : answer.substring(split + 4);
    if (split >= 0 && answer.substring(0, split).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return new Outcome(RawHttp.status(answer), body, millis);
  }

  /** Why an outcome is not a clean refusal, or null. */
  static String problem(Outcome outcome) {
    if (outcome.status() < 0) {
      return "no whole answer (the connection closed, or nothing came for " + outcome.millis() + " ms)";
    }
    if (outcome.millis() > SLOW_MS) {
      return "answered " + outcome.status() + " only after " + outcome.millis() + " ms";
    }
    if (outcome.status() < 400 || outcome.status() >= 500) {
      return "answered " + outcome.status() + ": " + clip(outcome.body());
    }
    if (outcome.status() == 429) {
      return "rate-limited (429), so the case never reached its check";
    }
    try {
      JsonObject error = new JsonObject(outcome.body()).getJsonObject("error");
      if (error == null || blank(error.getValue("code")) || blank(error.getValue("message"))) {
        return "answered " + outcome.status() + " without {\"error\":{\"code\",\"message\"}}: " + clip(outcome.body());
      }
    } catch (DecodeException | ClassCastException e) {
      return "answered " + outcome.status() + " with a body that is not the error shape: " + clip(outcome.body());
    }
    return null;
  }

  /** Replays each case of a batch that moved the fingerprint alone, naming those that change the database. */
  private static List<String> stateChanges(List<HostileRequests.Case> batch, DatabaseFingerprint fingerprint, List<String> tables) {
    List<String> found = new ArrayList<>();
    Map<String, String> before = fingerprint.settled(300, 40);
    for (HostileRequests.Case hostile : batch) {
      Outcome outcome = send(hostile);
      Map<String, String> after = fingerprint.settled(300, 40);
      if (!after.equals(before)) {
        found.add(name(hostile) + ": changed " + DatabaseFingerprint.changed(before, after) + " (answered " + outcome.status() + ")");
        before = after;
      }
    }
    if (found.isEmpty()) {
      found.add(batch.get(0).operation() + ": its batch changed " + tables + ", but no case alone does");
    }
    return found;
  }

  private static String summary(HostileRequests requests, long millis) {
    Map<String, Long> byCategory = new TreeMap<>(requests.cases().stream()
        .collect(Collectors.groupingBy(HostileRequests.Case::category, Collectors.counting())));
    StringBuilder line = new StringBuilder("Hostile input: ").append(requests.cases().size()).append(" cases over ")
        .append(requests.operations().size()).append(" operations in ").append(millis / 1000.0).append(" s; by category:");
    HostileRequests.CATEGORIES.forEach(category -> line.append(' ').append(category).append('=').append(byCategory.getOrDefault(category, 0L)));
    line.append("; per operation:");
    requests.operations().forEach((operation, count) -> line.append(' ').append(operation).append('=').append(count));
    return line.toString();
  }

  // ---- the world the cases name ----

  private static final String MW = "/v1/meshworks/";

  private static HostileRequests.World world() {
    String owner = mesh.newOwner("hostile");
    String mw = mesh.meshwork(owner, "hw", "a1", "a2", "gone");
    String linked = mesh.meshwork(owner, "hl");
    mesh.expect(201, "POST", MW + mw + "/links", owner, new JsonObject().put("target", linked));
    JsonObject guest = mesh.join(owner, mw, "a1", "Guest");
    JsonObject revokedGuest = mesh.join(owner, mw, "a2", "Revoked");
    mesh.expect(204, "DELETE", MW + mw + "/members/" + revokedGuest.getString("member_id"), owner, null);
    String removedAgentKey = mesh.join(owner, mw, "gone", "Removed").getString("key");
    mesh.expect(204, "DELETE", MW + mw + "/agents/gone", owner, null);
    String inviteId = mesh.expect(201, "POST", MW + mw + "/invites", owner, new JsonObject().put("agent", "a1")).getString("id");
    String linkId = mesh.expect(201, "POST", MW + mw + "/spectator-links", owner, new JsonObject()).getString("id");
    JsonObject revokedLink = mesh.expect(201, "POST", MW + mw + "/spectator-links", owner, new JsonObject());
    mesh.expect(204, "DELETE", MW + mw + "/spectator-links/" + revokedLink.getString("id"), owner, null);
    String keyId = mesh.expect(201, "POST", "/v1/keys", owner, new JsonObject().put("label", "spare")).getString("id");
    JsonObject revokedOwner = mesh.expect(201, "POST", "/v1/keys", owner, new JsonObject().put("label", "revoked"));
    String ticketOfRevoked = mesh.expect(201, "POST", "/v1/tickets", revokedOwner.getString("key"), new JsonObject()).getString("ticket");
    mesh.expect(204, "DELETE", "/v1/keys/" + revokedOwner.getString("id"), owner, null);
    String sessionId = mesh.expect(201, "POST", MW + mw + "/agents/a1/sessions", owner, new JsonObject()).getString("session_id");
    String messageId = mesh.expect(201, "POST", MW + mw + "/agents/a1/messages", owner,
        new JsonObject().put("to", "a2").put("text", "hello")).getString("id");
    String taskId = mesh.expect(201, "POST", MW + mw + "/tasks", owner, new JsonObject().put("title", "Parser")).getString("id");
    mesh.expect(200, "PUT", MW + mw + "/agents/a1/memory/style", owner, new JsonObject().put("value", "tabs"));
    mesh.expect(201, "PUT", MW + mw + "/scratchpad/style", owner, new JsonObject().put("value", "tabs"));

    String session = mesh.dashboardSession(owner);
    String endedSession = mesh.dashboardSession(owner);
    mesh.expect(204, "DELETE", "/v1/sessions/current", endedSession, null);
    String expiredSession = mesh.dashboardSession(owner);
    TestSql.update("UPDATE gateway.dashboard_sessions SET expires_at = now() - interval '1 minute' WHERE session_hash = ?",
        SecretKeys.hash(expiredSession));
    String redeemedTicket = mesh.expect(201, "POST", "/v1/tickets", owner, new JsonObject()).getString("ticket");
    mesh.expect(200, "POST", "/v1/tickets/redeem", null, new JsonObject().put("ticket", redeemedTicket));
    String expiredTicket = mesh.expect(201, "POST", "/v1/tickets", owner, new JsonObject()).getString("ticket");
    TestSql.update("UPDATE gateway.dashboard_tickets SET expires_at = now() - interval '1 minute' WHERE ticket_hash = ?",
        SecretKeys.hash(expiredTicket));

    String usedInvite = mesh.expect(201, "POST", MW + mw + "/invites", owner, new JsonObject().put("agent", "a2")).getString("token");
    mesh.expect(201, "POST", "/v1/join", null, new JsonObject().put("token", usedInvite).put("display_name", "Used"));
    String expiredInvite = mesh.expect(201, "POST", MW + mw + "/invites", owner, new JsonObject().put("agent", "a2")).getString("token");
    TestSql.update("UPDATE invites.invites SET expires_at = now() - interval '1 minute' WHERE token_hash = ?", SecretKeys.hash(expiredInvite));
    JsonObject revokedInvite = mesh.expect(201, "POST", MW + mw + "/invites", owner, new JsonObject().put("agent", "a2"));
    mesh.expect(200, "DELETE", MW + mw + "/invites/" + revokedInvite.getString("id"), owner, null);

    Map<String, String> pathValues = Map.of("meshwork", mw, "agent", "a1", "keyId", keyId, "inviteId", inviteId,
        "memberId", guest.getString("member_id"), "linkId", linkId, "target", linked, "sessionId", sessionId,
        "messageId", messageId, "taskId", taskId);
    Map<String, String> path = new HashMap<>(pathValues);
    path.put("key", "style");
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("a revoked guest key", revokedGuest.getString("key"));
    keys.put("a revoked owner key", revokedOwner.getString("key"));
    keys.put("the key of a removed agent's guest", removedAgentKey);
    keys.put("a signed-out dashboard session", endedSession);
    keys.put("an expired dashboard session", expiredSession);
    keys.put("a revoked spectator token", revokedLink.getString("token"));
    keys.put("a malformed key", "mc_sk_not-a-key");
    keys.put("an unknown well-formed key", SecretKeys.generate(SecretKeys.OWNER));
    Map<String, Map<String, JsonObject>> bodies = Map.of(
        "redeemTicket", Map.of(
            "a ticket redeemed already", new JsonObject().put("ticket", redeemedTicket),
            "an expired ticket", new JsonObject().put("ticket", expiredTicket),
            "a ticket minted by a key revoked since", new JsonObject().put("ticket", ticketOfRevoked),
            "an unknown ticket", new JsonObject().put("ticket", "mc_tk_" + SecretKeys.generate("").substring(0, 43))),
        "redeemInvite", Map.of(
            "an invite redeemed already", new JsonObject().put("token", usedInvite).put("display_name", "Again"),
            "an expired invite", new JsonObject().put("token", expiredInvite).put("display_name", "Late"),
            "a revoked invite", new JsonObject().put("token", revokedInvite.getString("token")).put("display_name", "Revoked"),
            "an unknown invite", new JsonObject().put("token", SecretKeys.generate(SecretKeys.INVITE)).put("display_name", "Nobody")));
    return new HostileRequests.World(path, owner, Map.of("endSession", session, "createAccount", mesh.adminKey), keys, bodies);
  }

  private static boolean blank(Object value) {
    return !(value instanceof String text) || text.isBlank();
  }

  private static String clip(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int end = chunked.indexOf("\r\n", at);
      if (end < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, end).split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      body.append(chunked, end + 2, Math.min(chunked.length(), end + 2 + size));
      at = end + 2 + size + 2;
    }
    return body.toString();
  }
}
