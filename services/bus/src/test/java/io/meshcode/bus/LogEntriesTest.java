package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.bus.LogFeed.Recipient;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What a record adds to the replay log")
class LogEntriesTest {

  private final Mesh home = Mesh.fresh();
  private final Mesh linked = Mesh.fresh();

  @Test
  @DisplayName("an event is one entry in its meshwork, without recipients")
  void event() {
    EventEnvelope event = LogFeed.event(home, "task.created", "builder", new JsonObject().put("task_id", "t1"));
    List<LogEntry> entries = LogEntries.of(Topics.EVENTS, event.toJson().encode());
    assertThat(entries).containsExactly(LogEntry.unnumbered(UUID.fromString(home.id()), event.id(), "task.created",
        "builder", event.time(), event.payload(), null));
  }

  @Test
  @DisplayName("a message is one entry per meshwork it touches, each with that meshwork's recipients once, in order")
  void message() {
    EventEnvelope sent = LogFeed.message(home, "builder", "hi", new Recipient(linked, "tester"), new Recipient(linked, "helper"),
        new Recipient(linked, "tester"));
    List<LogEntry> entries = LogEntries.of(Topics.MESSAGES, sent.toJson().encode());
    assertThat(entries).extracting(LogEntry::meshwork).containsExactly(UUID.fromString(home.id()), UUID.fromString(linked.id()));
    assertThat(entries.get(0).agent()).isEqualTo("builder");
    assertThat(entries.get(0).recipients()).isEmpty();
    assertThat(entries.get(1).agent()).isEqualTo(home.name() + "/builder");
    assertThat(entries.get(1).recipients()).containsExactly("tester", "helper");

    sent.payload().remove("meshwork");
    assertThat(LogEntries.of(Topics.MESSAGES, sent.toJson().encode()).get(1).agent())
        .as("without its meshwork's name, the sender is named by the meshwork's id").isEqualTo(home.id() + "/builder");
    assertThat(LogEntries.of(Topics.EVENTS, sent.toJson().encode())).as("message.sent elsewhere is an event").hasSize(1);
  }

  @Test
  @DisplayName("a record it cannot store is refused with a reason that quotes none of it")
  void unreadable() {
    EventEnvelope sent = LogFeed.message(home, "builder", "secret plans", new Recipient(linked, "tester"));
    sent.payload().getJsonArray("recipients").getJsonObject(0).put("meshwork_id", "secret plans");
    assertThatThrownBy(() -> LogEntries.of(Topics.MESSAGES, sent.toJson().encode()))
        .isInstanceOf(LogEntries.UnreadableRecord.class)
        .hasMessage("a recipient's meshwork_id is not an id");
    assertThatThrownBy(() -> LogEntries.of(Topics.EVENTS, "{\"secret plans\"")).hasMessage("it is not a JSON object");
  }
}
