package io.meshcode.bus;

import static io.meshcode.bus.LogFeed.await;
import static io.meshcode.bus.LogFeed.awaitId;
import static io.meshcode.bus.LogFeed.entries;
import static io.meshcode.bus.LogFeed.event;
import static io.meshcode.bus.LogFeed.ids;
import static io.meshcode.bus.LogFeed.sendMessage;
import static io.meshcode.bus.LogFeed.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.bus.LogFeed.Recipient;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.EventWatcher.Received;
import io.meshcode.testkit.EventWatcher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The replay log")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayLogTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  private LogFeed feed;
  private EventWatcher watcher;

  @BeforeAll
  void start() {
    feed = new LogFeed();
    watcher = new EventWatcher(Topics.LOG, Topics.MESSAGES);
  }

  @AfterAll
  void stop() {
    watcher.close();
    feed.close();
  }

  @Test
  @DisplayName("logs each event of mesh.events in its meshwork with seq 1, 2, 3…, and publishes each entry on mesh.log keyed by the meshwork")
  void events() {
    Mesh mesh = Mesh.fresh();
    List<EventEnvelope> sent = List.of(
        event(mesh, "task.created", "builder", new JsonObject().put("task_id", "t1").put("title", "Write the parser")),
        event(mesh, "memory.remembered", "reviewer", new JsonObject().put("key", "style")),
        event(mesh, "member.joined", null, new JsonObject().put("member", "ann")));
    sent.forEach(event -> feed.send(Topics.EVENTS, event));

    Caller spectator = client.spectator(mesh);
    List<JsonObject> log = await(spectator, mesh, entries -> entries.size() >= sent.size());
    assertThat(seqs(log)).containsExactly(1L, 2L, 3L);
    for (int i = 0; i < sent.size(); i++) {
      EventEnvelope event = sent.get(i);
      JsonObject entry = log.get(i);
      assertThat(entry.getString("id")).isEqualTo(event.id());
      assertThat(entry.getString("type")).isEqualTo(event.type());
      assertThat(entry.getString("agent")).isEqualTo(event.agent());
      assertThat(entry.getString("time")).isEqualTo(event.time().toString());
      assertThat(entry.getJsonObject("payload")).isEqualTo(event.payload());
      assertThat(entry.getValue("recipients")).isNull();
    }
    assertThat(LogFeed.page(spectator, mesh, "").getValue("next_after")).isNull();

    List<Received> published = watcher.await(Topics.LOG, mesh.id(), r -> r.size() >= sent.size(), LogFeed.WAIT);
    assertThat(published).hasSize(sent.size());
    for (int i = 0; i < published.size(); i++) {
      assertThat(published.get(i).key()).isEqualTo(mesh.id());
      assertThat(new JsonObject(published.get(i).value()))
          .isEqualTo(log.get(i).copy().put("meshwork", mesh.id()));
    }
    assertThat(entries(client.spectator(Mesh.fresh()), mesh, "")).as("another meshwork's log").isEmpty();
  }

  @Test
  @DisplayName("logs an envelope that comes again (same id) once, and gives the next one the next seq")
  void redelivery() {
    Mesh mesh = Mesh.fresh();
    EventEnvelope first = event(mesh, "agent.status", "builder", new JsonObject().put("from", "offline").put("to", "online"));
    EventEnvelope next = event(mesh, "session.closed", "builder", new JsonObject().put("session_id", "s1"));
    feed.send(Topics.EVENTS, first);
    awaitId(client.spectator(mesh), mesh, first.id());
    feed.send(Topics.EVENTS, first);
    feed.send(Topics.EVENTS, first);
    feed.send(Topics.EVENTS, next);

    List<JsonObject> log = awaitId(client.spectator(mesh), mesh, next.id());
    assertThat(ids(log)).containsExactly(first.id(), next.id());
    assertThat(seqs(log)).containsExactly(1L, 2L);
    // The copies came before next: published again, they would come before its entry on mesh.log.
    List<Received> published = watcher.await(Topics.LOG, mesh.id(), r -> r.stream().anyMatch(e -> isEntry(e, next.id())), LogFeed.WAIT);
    assertThat(published.stream().map(e -> new JsonObject(e.value()).getString("id"))).containsExactly(first.id(), next.id());
  }

  @Test
  @DisplayName("a send logs its message in the sender's meshwork and in each other meshwork it reached, each naming that meshwork's recipients")
  void messageAcrossMeshworks() {
    Mesh home = Mesh.fresh();
    Mesh linked = Mesh.fresh();
    String id = sendMessage(client, home, "builder", "the parser is ready",
        new Recipient(home, "reviewer"), new Recipient(linked, "helper"), new Recipient(linked, "tester")).getString("id");

    JsonObject here = awaitId(client.spectator(home), home, id).get(0);
    assertThat(here.getLong("seq")).isEqualTo(1L);
    assertThat(here.getString("type")).isEqualTo("message.sent");
    assertThat(here.getString("agent")).isEqualTo("builder");
    assertThat(here.getJsonArray("recipients")).isEqualTo(new JsonArray().add("reviewer"));
    JsonObject payload = here.getJsonObject("payload");
    assertThat(payload.getString("text")).isEqualTo("the parser is ready");
    assertThat(payload.getString("from")).isEqualTo("builder");
    assertThat(payload.getJsonArray("recipients")).hasSize(3);
    assertThat(here.getString("time")).isEqualTo(payload.getString("created_at"));

    JsonObject there = awaitId(client.spectator(linked), linked, id).get(0);
    assertThat(there.getLong("seq")).isEqualTo(1L);
    assertThat(there.getString("agent")).as("the sender, named with its meshwork").isEqualTo(home.name() + "/builder");
    assertThat(there.getJsonArray("recipients")).isEqualTo(new JsonArray().add("helper").add("tester"));
    assertThat(there.getJsonObject("payload")).isEqualTo(payload);

    assertThat(ids(entries(client.guest(linked, "tester"), linked, ""))).containsExactly(id);
    assertThat(entries(client.guest(linked, "builder"), linked, ""))
        .as("an agent of the linked meshwork that shares the sender's name").isEmpty();
    assertThat(ids(entries(client.guest(home, "reviewer"), home, ""))).containsExactly(id);
    assertThat(entries(client.guest(home, "helper"), home, "")).isEmpty();

    // The entries reach the gateways' streams on the message's own record, not on mesh.log.
    JsonObject record = new JsonObject(watcher.await(Topics.MESSAGES, home.id(), r -> r.size() == 1, LogFeed.WAIT).get(0).value());
    assertThat(record.getJsonArray("log")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("meshwork", home.id()).put("seq", 1).put("agent", "builder").put("recipients", new JsonArray().add("reviewer")))
        .add(new JsonObject().put("meshwork", linked.id()).put("seq", 1).put("agent", home.name() + "/builder")
            .put("recipients", new JsonArray().add("helper").add("tester"))));
    // A barrier in each meshwork: an event logged after the send, so whatever the send put on mesh.log comes before it.
    for (Mesh mesh : List.of(home, linked)) {
      EventEnvelope barrier = event(mesh, "session.closed", "builder", new JsonObject().put("session_id", "barrier"));
      feed.send(Topics.EVENTS, barrier);
      List<Received> logged = watcher.await(Topics.LOG, mesh.id(), r -> r.stream().anyMatch(e -> isEntry(e, barrier.id())), LogFeed.WAIT);
      assertThat(logged).as("nothing but the barrier on mesh.log").hasSize(1);
    }
  }

  @Test
  @DisplayName("an event and a message of one meshwork share its numbering, in commit order")
  void messagesAndEventsShareTheNumbering() {
    Mesh mesh = Mesh.fresh();
    EventEnvelope first = event(mesh, "task.created", "builder", new JsonObject().put("task_id", "t1"));
    feed.send(Topics.EVENTS, first);
    awaitId(client.spectator(mesh), mesh, first.id());
    String message = sendMessage(client, mesh, "builder", "done", new Recipient(mesh, "reviewer")).getString("id");
    EventEnvelope last = event(mesh, "task.updated", "builder", new JsonObject().put("task_id", "t1"));
    feed.send(Topics.EVENTS, last);

    List<JsonObject> log = awaitId(client.spectator(mesh), mesh, last.id());
    assertThat(ids(log)).containsExactly(first.id(), message, last.id());
    assertThat(seqs(log)).containsExactly(1L, 2L, 3L);
  }

  @Test
  @DisplayName("skips records it cannot read, with a warning, and logs the good ones after them")
  void garbage() {
    Mesh mesh = Mesh.fresh();
    JsonObject good = event(mesh, "task.updated", "builder", new JsonObject()).toJson();
    List<String> bad = List.of(
        "not json at all",
        "[1, 2, 3]",
        new JsonObject().put("id", "x").put("type", "task.created").encode(),
        good.copy().putNull("id").encode(),
        good.copy().put("payload", new JsonObject().put("tags", new JsonArray().add(new JsonObject().put("k\u0000", 1)))).encode(),
        good.copy().put("meshwork", "not-an-id").encode(),
        good.copy().put("time", "yesterday").encode(),
        good.copy().put("time", "+20000-01-01T00:00:00Z").encode(),
        good.copy().put("payload", "text").encode(),
        good.copy().put("payload", new JsonObject().put("text", "nul\u0000here")).encode());
    for (String value : bad) {
      feed.send(Topics.EVENTS, mesh.id(), value);
    }
    feed.send(Topics.EVENTS, mesh.id(), null);
    EventEnvelope after = event(mesh, "task.created", "builder", new JsonObject().put("task_id", "t2"));
    feed.send(Topics.EVENTS, after);
    EventEnvelope last = event(mesh, "task.updated", "builder", new JsonObject().put("task_id", "t2"));
    feed.send(Topics.EVENTS, last);

    Caller spectator = client.spectator(mesh);
    List<JsonObject> log = await(spectator, mesh, entries -> entries.size() >= 2);
    assertThat(ids(log)).containsExactly(after.id(), last.id());
    assertThat(seqs(log)).containsExactly(1L, 2L);
  }

  @Test
  @DisplayName("a tool call reported with activity becomes a tool.called entry, also for an agent that never opened a session")
  void toolCalls() {
    Mesh mesh = Mesh.fresh();
    Caller guest = client.guest(mesh, "builder");
    String activity = mesh.agentPath("builder") + "/activity";
    guest.post(activity, new JsonObject()).expect(204);
    guest.post(activity, new JsonObject().put("tool", "send_message").put("arguments", "to reviewer: the parser")
        .put("result", "ok").put("duration_ms", 42)).expect(204);
    guest.post(activity, new JsonObject().put("tool", "recall")).expect(204);

    List<JsonObject> log = await(guest, mesh, entries -> entries.size() >= 2);
    assertThat(log).extracting(entry -> entry.getString("type")).containsExactly("tool.called", "tool.called");
    assertThat(log).extracting(entry -> entry.getString("agent")).containsOnly("builder");
    assertThat(log.get(0).getJsonObject("payload")).isEqualTo(new JsonObject().put("tool", "send_message")
        .put("arguments", "to reviewer: the parser").put("result", "ok").put("duration_ms", 42));
    assertThat(log.get(1).getJsonObject("payload")).isEqualTo(new JsonObject().put("tool", "recall")
        .put("arguments", null).put("result", null).put("duration_ms", null));
  }

  @Test
  @DisplayName("several tool calls reported in one body become tool.called entries in their order, after one status change")
  void toolCallsListed() {
    Reporter builder = Reporter.inSession(client);
    Mesh mesh = builder.mesh();
    Caller owner = builder.owner();
    String activity = builder.activity();
    JsonArray calls = new JsonArray();
    for (int i = 0; i < ToolCall.CALLS_MAX; i++) {
      calls.add(new JsonObject().put("tool", "call_" + i).put("arguments", "{\"n\":" + i + "}").put("result", i % 2 == 0 ? "ok" : "error")
          .put("duration_ms", i));
    }
    owner.post(activity, new JsonObject().put("calls", calls)).expect(204);

    List<JsonObject> log = await(owner, mesh, entries -> entries.stream().filter(e -> e.getString("type").equals("tool.called")).count() >= ToolCall.CALLS_MAX);
    assertThat(log).extracting(entry -> entry.getString("type")).startsWith("session.opened", "agent.status", "agent.status")
        .hasSize(3 + ToolCall.CALLS_MAX);
    assertThat(log.get(2).getJsonObject("payload")).isEqualTo(new JsonObject().put("from", "online").put("to", "working"));
    List<JsonObject> called = log.subList(3, log.size());
    for (int i = 0; i < called.size(); i++) {
      assertThat(called.get(i).getJsonObject("payload")).isEqualTo(calls.getJsonObject(i));
      assertThat(called.get(i).getString("agent")).isEqualTo("builder");
    }
    assertThat(seqs(called)).isSorted();
  }

  @Test
  @DisplayName("a list of tool calls with anything wrong is 400 naming the call, and stores none of them")
  void badToolCallLists() {
    Reporter builder = Reporter.inSession(client);
    Mesh mesh = builder.mesh();
    Caller owner = builder.owner();
    String activity = builder.activity();
    JsonObject good = new JsonObject().put("tool", "send_message");
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i <= ToolCall.CALLS_MAX; i++) {
      tooMany.add(good.copy());
    }
    Map<String, JsonObject> bad = Map.of(
        "'calls' must be a list of 1 to 50", new JsonObject().put("calls", new JsonArray()),
        "'calls' must be a list", new JsonObject().put("calls", "send_message"),
        "must be a list of 1 to 50 tool calls", new JsonObject().put("calls", tooMany),
        "calls[1] must be an object", new JsonObject().put("calls", new JsonArray().add(good).add("recall")),
        "calls[1]: 'tool' is missing", new JsonObject().put("calls", new JsonArray().add(good).add(new JsonObject())),
        "calls[1]: 'result' describes a tool call and needs 'tool'",
        new JsonObject().put("calls", new JsonArray().add(good).add(new JsonObject().put("result", "ok"))),
        "calls[0]: unknown field 'seq'", new JsonObject().put("calls", new JsonArray().add(good.copy().put("seq", 1))),
        "calls[1]: 'result' must be ok or error", new JsonObject().put("calls", new JsonArray().add(good).add(good.copy().put("result", "maybe"))),
        "'tool' belongs inside each of them", new JsonObject().put("tool", "recall").put("calls", new JsonArray().add(good)));
    refused(owner, activity, bad);
    owner.post(activity, new JsonObject().put("calls", new JsonArray().add(new JsonObject().put("tool", "barrier")))).expect(204);
    List<JsonObject> log = await(owner, mesh, entries -> entries.stream().anyMatch(e -> e.getString("type").equals("tool.called")));
    assertThat(log).extracting(entry -> entry.getString("type"))
        .containsExactly("session.opened", "agent.status", "agent.status", "tool.called");
    assertThat(log.get(3).getJsonObject("payload").getString("tool")).isEqualTo("barrier");
  }

  @Test
  @DisplayName("a tool call with a bad field is 400 naming it, and stores nothing")
  void badToolCalls() {
    Reporter builder = Reporter.inSession(client);
    Mesh mesh = builder.mesh();
    Caller owner = builder.owner();
    String activity = builder.activity();
    JsonObject call = new JsonObject().put("tool", "send_message");
    Map<String, JsonObject> bad = Map.of(
        "'tool'", new JsonObject().put("tool", "x".repeat(81)),
        "'tool' must not be blank", new JsonObject().put("tool", "  "),
        "'arguments'", call.copy().put("arguments", "x".repeat(1001)),
        "'result'", call.copy().put("result", "maybe"),
        "'duration_ms'", call.copy().put("duration_ms", -1),
        "'duration_ms' must be a whole number", call.copy().put("duration_ms", 1.5),
        "'arguments' describes a tool call and needs 'tool'", new JsonObject().put("arguments", "to reviewer"),
        "'tools'", new JsonObject().put("tools", "send_message"));
    refused(owner, activity, bad);
    // Events leave the outbox in order: once this call is logged, any before it would be too.
    owner.post(activity, call).expect(204);
    List<JsonObject> log = await(owner, mesh, entries -> entries.stream().anyMatch(e -> e.getString("type").equals("tool.called")));
    // The good call is the agent's first activity: online → working.
    assertThat(log).extracting(entry -> entry.getString("type"))
        .containsExactly("session.opened", "agent.status", "agent.status", "tool.called");
    assertThat(log.get(2).getJsonObject("payload")).isEqualTo(new JsonObject().put("from", "online").put("to", "working"));
    assertThat(log.get(3).getJsonObject("payload").getString("tool")).isEqualTo("send_message");
  }

  /** The owner reporting as the agent {@code builder} of a fresh meshwork, in a session. */
  private record Reporter(Mesh mesh, Caller owner, String activity) {
    static Reporter inSession(BusClient client) {
      Mesh mesh = Mesh.fresh();
      Caller owner = client.owner(mesh, "builder");
      BusClient.open(owner, mesh, "builder");
      return new Reporter(mesh, owner, mesh.agentPath("builder") + "/activity");
    }
  }

  /** Each body is refused with 400 and its message. */
  private static void refused(Caller caller, String path, Map<String, JsonObject> bad) {
    bad.forEach((message, body) -> {
      ApiResponse response = caller.post(path, body);
      assertThat(response.status()).as(body.encode()).isEqualTo(400);
      assertThat(response.error()).contains(message);
    });
  }

  private static boolean isEntry(Received record, String id) {
    return id.equals(new JsonObject(record.value()).getString("id"));
  }
}
