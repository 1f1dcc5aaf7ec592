package io.meshcode.bus;

import static io.meshcode.bus.LogFeed.awaitId;
import static io.meshcode.bus.LogFeed.entries;
import static io.meshcode.bus.LogFeed.event;
import static io.meshcode.bus.LogFeed.sendMessage;
import static io.meshcode.bus.LogFeed.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.bus.LogFeed.Recipient;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reading one meshwork's log of six entries: 1 alpha's event, 2 beta's event, 3 an event of the
 * meshwork (a minute apart, an hour ago), 4 alpha's message to beta (sent now), 5 gamma's event
 * (ten minutes after 4), 6 gamma's message to alpha and beta (sent just after 4).
 */
@DisplayName("Reading the replay log")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayLogQueryTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  private final Mesh mesh = Mesh.fresh();
  private final Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
  /** When the sixth entry's message was sent, and the fifth entry's time. */
  private Instant sixthSent;
  private Instant fifth;

  @BeforeAll
  void seed() {
    Recipient alpha = new Recipient(mesh, "alpha");
    Recipient beta = new Recipient(mesh, "beta");
    Caller spectator = client.spectator(mesh);
    try (LogFeed feed = new LogFeed()) {
      // One at a time, each logged before the next: events and sends have no order between them otherwise.
      for (EventEnvelope event : List.of(
          event(mesh, "task.created", "alpha", minute(0), new JsonObject().put("task_id", "t1")),
          event(mesh, "memory.remembered", "beta", minute(1), new JsonObject().put("key", "k")),
          event(mesh, "member.joined", null, minute(2), new JsonObject()))) {
        feed.send(Topics.EVENTS, event);
        awaitId(spectator, mesh, event.id());
      }
      String fourth = sendMessage(client, mesh, "alpha", "review this", beta).getString("id");
      fifth = Instant.parse(awaitId(spectator, mesh, fourth).get(3).getString("time")).plus(10, ChronoUnit.MINUTES);
      EventEnvelope event = event(mesh, "task.updated", "gamma", fifth, new JsonObject().put("task_id", "t1"));
      feed.send(Topics.EVENTS, event);
      awaitId(spectator, mesh, event.id());
      String sixth = sendMessage(client, mesh, "gamma", "stand-up", alpha, beta).getString("id");
      sixthSent = Instant.parse(awaitId(spectator, mesh, sixth).get(5).getString("time"));
    }
  }

  private Instant minute(int n) {
    return start.plus(n, ChronoUnit.MINUTES);
  }

  private List<Long> seqsOf(Caller caller, String query) {
    return seqs(entries(caller, mesh, query));
  }

  @Test
  @DisplayName("owners and spectators read every entry in seq order")
  void everything() {
    for (Caller reader : List.of(client.spectator(mesh), client.owner(mesh, null), client.owner(mesh, "alpha"))) {
      assertThat(seqsOf(reader, "")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }
    List<JsonObject> log = entries(client.spectator(mesh), mesh, "");
    assertThat(log.get(2).getValue("agent")).isNull();
    assertThat(log.get(5).getJsonArray("recipients").getList()).containsExactly("alpha", "beta");
  }

  @Test
  @DisplayName("?agent= keeps what the agent did or was sent")
  void byAgent() {
    Caller spectator = client.spectator(mesh);
    assertThat(seqsOf(spectator, "agent=alpha")).containsExactly(1L, 4L, 6L);
    assertThat(seqsOf(spectator, "agent=beta")).containsExactly(2L, 4L, 6L);
    assertThat(seqsOf(spectator, "agent=gamma")).containsExactly(5L, 6L);
    assertThat(seqsOf(spectator, "agent=delta")).isEmpty();
  }

  @Test
  @DisplayName("?since= and ?until= bound the time, the first inclusive and the second exclusive")
  void byTime() {
    Caller spectator = client.spectator(mesh);
    assertThat(seqsOf(spectator, "since=" + minute(1))).containsExactly(2L, 3L, 4L, 5L, 6L);
    assertThat(seqsOf(spectator, "until=" + sixthSent)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(seqsOf(spectator, "since=" + minute(1) + "&until=" + minute(3))).containsExactly(2L, 3L);
    assertThat(seqsOf(spectator, "agent=alpha&since=" + minute(2))).containsExactly(4L, 6L);
    assertThat(seqsOf(spectator, "since=" + fifth)).containsExactly(5L);
    assertThat(seqsOf(spectator, "since=" + fifth.plusSeconds(1))).isEmpty();
  }

  @Test
  @DisplayName("?after= and ?limit= page through the log, next_after naming where the next page starts until none follows")
  void paging() {
    Caller spectator = client.spectator(mesh);
    JsonObject first = LogFeed.page(spectator, mesh, "limit=2");
    assertThat(seqs(entries(spectator, mesh, "limit=2"))).containsExactly(1L, 2L);
    assertThat(first.getLong("next_after")).isEqualTo(2L);
    JsonObject second = LogFeed.page(spectator, mesh, "after=2&limit=2");
    assertThat(second.getLong("next_after")).isEqualTo(4L);
    JsonObject last = LogFeed.page(spectator, mesh, "after=4&limit=2");
    assertThat(last.getJsonArray("entries")).hasSize(2);
    assertThat(last.getValue("next_after")).isNull();
    assertThat(LogFeed.page(spectator, mesh, "limit=5").getLong("next_after")).isEqualTo(5L);
    assertThat(LogFeed.page(spectator, mesh, "limit=6").getValue("next_after")).isNull();
    assertThat(seqsOf(spectator, "after=6")).isEmpty();
    assertThat(seqsOf(spectator, "after=3")).containsExactly(4L, 5L, 6L);

    JsonObject filtered = LogFeed.page(spectator, mesh, "agent=beta&limit=1&after=2");
    assertThat(seqs(entries(spectator, mesh, "agent=beta&limit=1&after=2"))).containsExactly(4L);
    assertThat(filtered.getLong("next_after")).isEqualTo(4L);
    assertThat(LogFeed.page(spectator, mesh, "agent=beta&limit=1&after=4").getValue("next_after")).isNull();
    assertThat(seqsOf(spectator, "agent=beta&after=")).as("an empty parameter counts as not given").containsExactly(2L, 4L, 6L);
  }

  @Test
  @DisplayName("?before= pages back newest first, next_before naming the smallest seq returned until nothing older matches")
  void pagingBack() {
    Caller spectator = client.spectator(mesh);
    JsonObject newest = LogFeed.page(spectator, mesh, "before=" + Long.MAX_VALUE + "&limit=2");
    assertThat(seqs(entries(spectator, mesh, "before=" + Long.MAX_VALUE + "&limit=2"))).containsExactly(6L, 5L);
    assertThat(newest.getLong("next_before")).isEqualTo(5L);
    assertThat(newest.containsKey("next_after")).isFalse();
    assertThat(seqsOf(spectator, "before=5&limit=2")).containsExactly(4L, 3L);
    JsonObject oldest = LogFeed.page(spectator, mesh, "before=3&limit=2");
    assertThat(seqs(entries(spectator, mesh, "before=3&limit=2"))).containsExactly(2L, 1L);
    assertThat(oldest.getValue("next_before")).isNull();
    assertThat(LogFeed.page(spectator, mesh, "before=1").getJsonArray("entries")).isEmpty();
    assertThat(seqsOf(spectator, "before=7")).containsExactly(6L, 5L, 4L, 3L, 2L, 1L);
    assertThat(seqsOf(spectator, "before=7&agent=beta")).containsExactly(6L, 4L, 2L);
    assertThat(seqsOf(client.guest(mesh, "gamma"), "before=7")).containsExactly(6L, 5L);
  }

  @Test
  @DisplayName("?type= keeps entries of the types listed, forward and back, within a guest's reach")
  void byType() {
    Caller spectator = client.spectator(mesh);
    assertThat(seqsOf(spectator, "type=message.sent")).containsExactly(4L, 6L);
    assertThat(seqsOf(spectator, "type=message.sent,task.created")).containsExactly(1L, 4L, 6L);
    assertThat(seqsOf(spectator, "type=task.created,task.updated&agent=gamma")).containsExactly(5L);
    assertThat(seqsOf(spectator, "type=message.delivered")).isEmpty();
    JsonObject newest = LogFeed.page(spectator, mesh, "type=message.sent&before=" + Long.MAX_VALUE + "&limit=1");
    assertThat(seqs(entries(spectator, mesh, "type=message.sent&before=" + Long.MAX_VALUE + "&limit=1"))).containsExactly(6L);
    assertThat(newest.getLong("next_before")).isEqualTo(6L);
    JsonObject older = LogFeed.page(spectator, mesh, "type=message.sent&before=6&limit=1");
    assertThat(seqs(entries(spectator, mesh, "type=message.sent&before=6&limit=1"))).containsExactly(4L);
    assertThat(older.getValue("next_before")).isNull();
    assertThat(seqsOf(spectator, "type=message.sent,task.created&after=1")).containsExactly(4L, 6L);
    assertThat(seqsOf(client.guest(mesh, "beta"), "type=message.sent,task.created")).containsExactly(4L, 6L);
    assertThat(seqsOf(client.guest(mesh, "gamma"), "type=task.created")).isEmpty();
  }

  @Test
  @DisplayName("a guest reads only what its own agent did or was sent, whatever it asks for")
  void guests() {
    Caller beta = client.guest(mesh, "beta");
    assertThat(seqsOf(beta, "")).containsExactly(2L, 4L, 6L);
    assertThat(seqsOf(beta, "agent=alpha")).containsExactly(4L, 6L);
    assertThat(seqsOf(beta, "agent=gamma")).containsExactly(6L);
    assertThat(seqsOf(beta, "agent=beta&limit=1&after=2")).containsExactly(4L);
    assertThat(seqsOf(client.guest(mesh, "gamma"), "")).containsExactly(5L, 6L);
    assertThat(seqsOf(client.guest(mesh, "delta"), "")).isEmpty();
    assertThat(seqsOf(client.guest(Mesh.fresh(), "beta"), "")).as("the same name in another meshwork").isEmpty();
  }

  @Test
  @DisplayName("a malformed parameter is 400 naming it; a token reaching no meshwork or no agent is 403")
  void badRequests() {
    Caller spectator = client.spectator(mesh);
    Map<String, String> bad = Map.ofEntries(
        Map.entry("limit=0", "'limit'"),
        Map.entry("limit=501", "'limit'"),
        Map.entry("limit=ten", "'limit'"),
        Map.entry("limit=1.5", "'limit'"),
        Map.entry("limit=1&limit=2", "'limit'"),
        Map.entry("after=-1", "'after'"),
        Map.entry("after=x", "'after'"),
        Map.entry("after=99999999999999999999", "'after'"),
        Map.entry("since=yesterday", "'since'"),
        Map.entry("since=%2B20000-01-01T00:00:00Z", "'since'"),
        Map.entry("until=2025-13-01T00:00:00Z", "'until'"),
        Map.entry("until=2025-01-01", "'until'"),
        Map.entry("agent=Not_A_Name", "'agent'"),
        Map.entry("agent=a%2Fb", "'agent'"),
        Map.entry("before=0", "'before'"),
        Map.entry("before=x", "'before'"),
        Map.entry("before=5&after=2", "'before' and 'after'"),
        Map.entry("before=5&before=6", "'before'"),
        Map.entry("type=Message.sent", "'type' has 'Message.sent'"),
        Map.entry("type=message", "'type' has 'message'"),
        Map.entry("type=message.sent,", "'type' has ''"),
        Map.entry("type=message.sent%2Cmessage..read", "'type' has 'message..read'"),
        Map.entry("type=a.b&type=c.d", "'type'"),
        Map.entry("type=" + "a.b,".repeat(20) + "a.b", "'type' may name at most 20"));
    bad.forEach((query, param) -> {
      ApiResponse response = spectator.get(LogFeed.logPath(mesh, query));
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.code()).isEqualTo("bad_request");
      assertThat(response.error()).as(query).startsWith(param);
    });
    assertThat(spectator.get(LogFeed.logPath(mesh, "limit=500&after=0&since=2025-01-01T00:00:00Z")).status()).isEqualTo(200);

    Caller nameless = client.as(new InternalPrincipal(Ids.newId(), KeyKind.GUEST, mesh.id(), null));
    nameless.get(LogFeed.logPath(mesh, "")).expectError(403, "forbidden", "this guest token names no agent");
    assertThat(client.as(InternalPrincipal.system()).get(LogFeed.logPath(mesh, "")).status()).isEqualTo(403);
    assertThat(spectator.get(LogFeed.logPath(new Mesh(mesh.id(), "Not_A_Name"), "")).status()).isEqualTo(404);
  }
}
