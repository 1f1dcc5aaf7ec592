package io.meshcode.bus;

import static io.meshcode.bus.BusClient.heartbeat;
import static io.meshcode.bus.BusClient.open;
import static io.meshcode.bus.BusClient.presenceOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Agent sessions")
class SessionsTest {

  private static final JsonObject TAKE_OVER = new JsonObject().put("take_over", true);

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  @Test
  @DisplayName("an MCP server opens a session, keeps it alive with heartbeats and closes it")
  void lifecycle() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "builder");
    JsonObject opened = open(owner, mesh, "builder");
    String session = opened.getString("session_id");
    assertThat(opened.getString("agent")).isEqualTo("builder");
    assertThat(opened.getInteger("lease_seconds")).isEqualTo(BusSettings.DEFAULT_LEASE_SECONDS);
    assertThat(opened.getBoolean("took_over")).isFalse();
    Instant expires = Instant.parse(opened.getString("expires_at"));
    assertThat(expires).isBetween(Instant.now().plusSeconds(25), Instant.now().plusSeconds(35));

    TestSql.separatingInstant(); // the renewal is stamped after the opening
    JsonObject renewed = heartbeat(owner, mesh, "builder", session).expect(200);
    assertThat(renewed.getString("session_id")).isEqualTo(session);
    assertThat(renewed.getString("status")).isEqualTo("online");
    assertThat(Instant.parse(renewed.getString("expires_at"))).isAfter(expires);

    owner.delete(mesh.agentPath("builder") + "/sessions/" + session).expect(204);
    owner.delete(mesh.agentPath("builder") + "/sessions/" + session).expect(204);
    heartbeat(owner, mesh, "builder", session).expectError(410, "gone", "the session ended; open a new one");
    assertThat(presenceOf(owner, mesh, "builder").getString("status")).isEqualTo("offline");
    assertThat(open(owner, mesh, "builder").getBoolean("took_over")).as("a closed session blocks nothing").isFalse();
  }

  @Test
  @DisplayName("a second window for an agent with a live session is refused with 409 agent_running")
  void secondWindow() {
    Mesh mesh = Mesh.fresh();
    Caller guest = client.guest(mesh, "reviewer");
    String first = open(guest, mesh, "reviewer").getString("session_id");
    open(guest, mesh, "reviewer", new JsonObject()).expectError(409, "agent_running", "agent already running in another window");
    open(guest, mesh, "reviewer", new JsonObject().put("take_over", false))
        .expectError(409, "agent_running", "agent already running in another window");
    heartbeat(guest, mesh, "reviewer", first).expect(200);
  }

  @Test
  @DisplayName("an open sent again with the id its client chose is answered with the session the first opened; "
      + "an id the mesh knows otherwise is 409 session_id_taken; a bad one is 400")
  void clientChosenId() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "builder");
    String chosen = Ids.newId();
    JsonObject first = open(owner, mesh, "builder", new JsonObject().put("session_id", chosen)).expect(201);
    assertThat(first.getString("session_id")).isEqualTo(chosen);
    JsonObject again = open(owner, mesh, "builder", new JsonObject().put("session_id", chosen)).expect(201);
    assertThat(again.getString("session_id")).as("the same session, not agent_running").isEqualTo(chosen);
    assertThat(TestSql.count("SELECT count(*) FROM bus.sessions WHERE meshwork_id = ?::uuid AND agent = 'builder'", mesh.id()))
        .as("opened once").isEqualTo(1);
    heartbeat(owner, mesh, "builder", chosen).expect(200);

    open(owner, mesh, "builder", new JsonObject().put("session_id", Ids.newId()))
        .expectError(409, "agent_running", "agent already running in another window");
    Caller guest = client.guest(mesh, "builder");
    open(guest, mesh, "builder", new JsonObject().put("session_id", chosen))
        .expectError(409, "session_id_taken", "session id " + chosen + " is taken; open the session with a new one");
    Caller other = client.owner(mesh, "reviewer");
    open(other, mesh, "reviewer", new JsonObject().put("session_id", chosen))
        .expectError(409, "session_id_taken", "session id " + chosen + " is taken; open the session with a new one");

    owner.delete(mesh.agentPath("builder") + "/sessions/" + chosen).expect(204);
    open(owner, mesh, "builder", new JsonObject().put("session_id", chosen))
        .expectError(409, "session_id_taken", "session id " + chosen + " is taken; open the session with a new one");
    assertThat(presenceOf(owner, mesh, "builder").getString("status")).as("an ended session is not opened again").isEqualTo("offline");
    open(owner, mesh, "builder", new JsonObject().put("session_id", "not-a-uuid"))
        .expectError(400, "bad_request", "'session_id' must be a session id of your choosing (a UUID)");
    heartbeat(owner, mesh, "builder", chosen).expectError(410, "gone", "the session ended; open a new one");
  }

  @Test
  @DisplayName("taking over ends the live session: its next heartbeat is 409 taken_over, the new one carries on")
  void takeOver() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "builder");
    String old = open(owner, mesh, "builder").getString("session_id");
    JsonObject taken = open(owner, mesh, "builder", TAKE_OVER.copy().put("client", "cursor")).expect(201);
    assertThat(taken.getBoolean("took_over")).isTrue();
    String current = taken.getString("session_id");
    assertThat(current).isNotEqualTo(old);

    heartbeat(owner, mesh, "builder", old).expectError(409, "taken_over", "this agent was taken over by another window");
    heartbeat(owner, mesh, "builder", current).expect(200);
    assertThat(presenceOf(owner, mesh, "builder").getString("client")).isEqualTo("cursor");
    owner.delete(mesh.agentPath("builder") + "/sessions/" + old).expect(204);
    heartbeat(owner, mesh, "builder", current).expect(200);

    owner.delete(mesh.agentPath("builder") + "/sessions/" + current).expect(204);
    assertThat(open(owner, mesh, "builder", TAKE_OVER).expect(201).getBoolean("took_over"))
        .as("nothing live to take over").isFalse();
  }

  @Test
  @DisplayName("of simultaneous opens without take_over, exactly one wins and the rest get 409")
  void concurrentOpens() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "racer");
    List<CompletableFuture<ApiResponse>> racing = IntStream.range(0, 8)
        .mapToObj(i -> owner.sendAsync("POST", mesh.agentPath("racer") + "/sessions", new JsonObject()))
        .toList();
    List<ApiResponse> answers = racing.stream().map(CompletableFuture::join).toList();
    assertThat(answers).filteredOn(r -> r.status() == 201).hasSize(1);
    assertThat(answers).filteredOn(r -> r.status() == 409 && "agent_running".equals(r.code())).hasSize(7);
  }

  @Test
  @DisplayName("a session answers only for its own agent in its own meshwork; unknown or malformed ids are 404")
  void scopedSessions() {
    Mesh mesh = Mesh.fresh();
    Caller builder = client.owner(mesh, "builder");
    String session = open(builder, mesh, "builder").getString("session_id");

    heartbeat(builder, mesh, "builder", Ids.newId()).expect(404);
    heartbeat(builder, mesh, "builder", "not-a-session").expect(404);
    builder.delete(mesh.agentPath("builder") + "/sessions/" + Ids.newId()).expect(404);
    Caller reviewer = client.owner(mesh, "reviewer");
    heartbeat(reviewer, mesh, "reviewer", session).expect(404);
    reviewer.delete(mesh.agentPath("reviewer") + "/sessions/" + session).expect(404);

    Mesh other = new Mesh(Ids.newId(), mesh.name());
    Caller elsewhere = client.owner(other, "builder");
    heartbeat(elsewhere, other, "builder", session).expect(404);
    assertThat(open(elsewhere, other, "builder").getBoolean("took_over"))
        .as("the same names in another meshwork are another agent").isFalse();
    heartbeat(builder, mesh, "builder", session).expect(200);
  }

  @Test
  @DisplayName("the presence list shows every agent that ever had a session, with its latest client and times")
  void presenceList() {
    Mesh mesh = Mesh.fresh();
    Instant before = Instant.now().minusSeconds(1);
    Caller alpha = client.owner(mesh, "alpha");
    open(alpha, mesh, "alpha", new JsonObject().put("client", "cursor")).expect(201);
    Caller beta = client.guest(mesh, "beta");
    String betaSession = open(beta, mesh, "beta").getString("session_id");
    beta.delete(mesh.agentPath("beta") + "/sessions/" + betaSession).expect(204);
    client.owner(mesh, "gamma").post(mesh.agentPath("gamma") + "/activity", new JsonObject()).expect(204);

    for (Caller reader : List.of(client.spectator(mesh), beta, client.owner(mesh, null))) {
      JsonArray agents = reader.get(mesh.presencePath()).expect(200).getJsonArray("agents");
      assertThat(agents.stream().map(a -> ((JsonObject) a).getString("agent"))).containsExactly("alpha", "beta");
      JsonObject a = agents.getJsonObject(0);
      assertThat(a.getString("status")).isEqualTo("online");
      assertThat(a.getString("client")).isEqualTo("cursor");
      assertThat(Instant.parse(a.getString("last_seen"))).isAfter(before);
      assertThat(Instant.parse(a.getString("session_opened_at"))).isAfter(before);
      JsonObject b = agents.getJsonObject(1);
      assertThat(b.getString("status")).isEqualTo("offline");
      assertThat(b.getString("client")).isEqualTo("claude-code");
    }
    assertThat(client.spectator(Mesh.fresh()).get(mesh.presencePath()).expect(200).getJsonArray("agents"))
        .as("another meshwork's token sees its own, empty, presence").isEmpty();
  }

  @Test
  @DisplayName("a window taken over is refused at once: its next send, wait read and acknowledgement are 409 taken_over")
  void takenOverWindowRefusedOnItsNextCall() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "builder");
    String agent = mesh.agentPath("builder");
    JsonObject message = new JsonObject().put("to", "reviewer").put("text", "hello");
    String old = open(owner, mesh, "builder").getString("session_id");
    Caller oldWindow = inSession(client.sender(mesh, "builder", "reviewer"), old);
    oldWindow.post(agent + "/messages", message).expect(201);
    String cursor = oldWindow.post(agent + "/inbox/take", new JsonObject()).expect(200).getString("cursor");
    oldWindow.post(agent + "/ack", new JsonObject().put("cursor", cursor)).expect(200);

    String current = open(owner, mesh, "builder", TAKE_OVER).expect(201).getString("session_id");
    String takenOver = "this agent was taken over by another window";
    oldWindow.post(agent + "/messages", message).expectError(409, "taken_over", takenOver);
    oldWindow.post(agent + "/inbox/take", new JsonObject()).expectError(409, "taken_over", takenOver);
    oldWindow.post(agent + "/ack", new JsonObject().put("cursor", cursor)).expectError(409, "taken_over", takenOver);
    // What the gateway asks before forwarding the window's memory and task calls.
    oldWindow.get(agent + "/sessions/current").expectError(409, "taken_over", takenOver);
    inSession(client.sender(mesh, "builder", "reviewer"), current).get(agent + "/sessions/current").expect(204);
    owner.get(agent + "/sessions/current").expectError(400, "bad_request", "no window session was named: send the Meshcode-Session header");
    assertThat(client.owner(mesh, "reviewer").get(mesh.agentPath("reviewer") + "/inbox/count").expect(200).getLong("unread"))
        .as("only the send made before the take-over was stored").isEqualTo(1);

    Caller newWindow = inSession(client.sender(mesh, "builder", "reviewer"), current);
    newWindow.post(agent + "/messages", message).expect(201);
    newWindow.post(agent + "/inbox/take", new JsonObject()).expect(200);
    client.sender(mesh, "builder", "reviewer").post(agent + "/messages", message)
        .expect(201); // made in no session (the CLI's send): as before

    owner.delete(agent + "/sessions/" + current).expect(204);
    newWindow.post(agent + "/messages", message).expectError(410, "gone", "the session ended; open a new one");
    inSession(client.sender(mesh, "builder", "reviewer"), Ids.newUuid().toString()).post(agent + "/messages", message)
        .expectError(404, "not_found", "this agent has no session with that id");
    inSession(client.owner(mesh, "reviewer"), old).post(mesh.agentPath("reviewer") + "/inbox/take", new JsonObject())
        .expectError(404, "not_found", "this agent has no session with that id");
  }

  @Test
  @DisplayName("a refused wait read neither hands over nor parks, and a refused acknowledgement marks nothing read")
  void refusedReadAndAckChangeNothing() {
    Mesh mesh = Mesh.fresh();
    Caller owner = client.owner(mesh, "builder");
    String agent = mesh.agentPath("builder");
    String old = open(owner, mesh, "builder").getString("session_id");
    String id = client.sender(mesh, "reviewer", "builder").post(mesh.agentPath("reviewer") + "/messages",
        new JsonObject().put("to", "builder").put("text", "hello")).expect(201).getString("id");
    String current = open(owner, mesh, "builder", TAKE_OVER).expect(201).getString("session_id");
    Caller oldWindow = inSession(client.owner(mesh, "builder"), old);
    String takenOver = "this agent was taken over by another window";

    oldWindow.post(agent + "/inbox/take", new JsonObject().put("park_seconds", 30)).expectError(409, "taken_over", takenOver);
    assertThat(stateOf(mesh, id)).isEqualTo("queued");
    assertThat(presenceOf(owner, mesh, "builder").getString("status")).as("not parked").isEqualTo("online");

    String cursor = inSession(client.owner(mesh, "builder"), current).post(agent + "/inbox/take", new JsonObject())
        .expect(200).getString("cursor");
    oldWindow.post(agent + "/ack", new JsonObject().put("cursor", cursor)).expectError(409, "taken_over", takenOver);
    assertThat(stateOf(mesh, id)).isEqualTo("delivered");
    assertThat(owner.get(agent + "/inbox/count").expect(200).getLong("unread")).isEqualTo(1);
  }

  private static String stateOf(Mesh mesh, String message) {
    return client.owner(mesh).get(mesh.path() + "/messages/" + message).expect(200)
        .getJsonArray("recipients").getJsonObject(0).getString("state");
  }

  @Test
  @DisplayName("the owner ends the session a revoked member opened: offline on the next read, the window's heartbeat refused")
  void memberRevoked() {
    Mesh mesh = Mesh.fresh();
    String member = Ids.newUuid().toString();
    Caller guest = client.as(new InternalPrincipal(member, KeyKind.GUEST, mesh.id(), "reviewer"));
    Caller owner = client.owner(mesh, "reviewer");
    String session = open(guest, mesh, "reviewer").getString("session_id");
    String sessions = mesh.agentPath("reviewer") + "/sessions?member=";

    owner.delete(sessions + Ids.newUuid()).expect(204);
    assertThat(presenceOf(owner, mesh, "reviewer").getString("status")).as("another member's revocation").isEqualTo("online");
    guest.delete(sessions + member).expectError(403, "forbidden", "only the meshwork's owner ends a member's sessions");
    owner.delete(sessions + "not-an-id").expectError(400, "bad_request", "'member' must be a member's id (a UUID)");

    owner.delete(sessions + member).expect(204);
    assertThat(presenceOf(owner, mesh, "reviewer").getString("status")).isEqualTo("offline");
    heartbeat(guest, mesh, "reviewer", session).expectError(410, "gone", "the session ended; open a new one");
    owner.delete(sessions + member).expect(204); // nothing open any more
    assertThat(open(owner, mesh, "reviewer").getBoolean("took_over")).as("the slot is free for the next window").isFalse();
  }

  /** The same caller, its requests made in {@code session} as the gateway vouches for it. */
  private static Caller inSession(Caller caller, String session) {
    JsonObject vouched = caller.principal().vouched() == null ? new JsonObject() : caller.principal().vouched().copy();
    return client.as(caller.principal().vouching(vouched.put(VouchedWindow.SESSION_CLAIM, session)));
  }
}
