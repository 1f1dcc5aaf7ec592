package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.bus.BusClient.Mesh;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What an event or a message adds to the replay log")
class LogEntriesTest {

  private final Mesh home = Mesh.fresh();
  private final Mesh linked = Mesh.fresh();

  @Test
  @DisplayName("an event is one entry in its meshwork, without recipients")
  void event() {
    var event = LogFeed.event(home, "task.created", "builder", new JsonObject().put("task_id", "t1"));
    assertThat(LogEntries.of(event.toJson().encode())).isEqualTo(LogEntry.unnumbered(UUID.fromString(home.id()), event.id(),
        "task.created", "builder", event.time(), event.payload(), null));
    var sent = LogFeed.event(home, "message.sent", "builder", new JsonObject());
    assertThat(LogEntries.of(sent.toJson().encode()).recipients()).as("message.sent on mesh.events is an event").isNull();
  }

  @Test
  @DisplayName("a message is one entry per meshwork it touches, the sender's first, each with that meshwork's recipients once, in order")
  void message() {
    AgentSlot sender = new AgentSlot(UUID.fromString(home.id()), "builder");
    List<Recipient> to = List.of(recipient(linked, "tester"), recipient(linked, "helper"), recipient(linked, "tester"));
    assertThat(MessageLog.reached(sender, home.name(), to)).isEqualTo(new JsonArray()
        .add(new JsonObject().put("meshwork", home.id()).put("agent", "builder").put("recipients", new JsonArray()))
        .add(new JsonObject().put("meshwork", linked.id()).put("agent", home.name() + "/builder")
            .put("recipients", new JsonArray().add("tester").add("helper"))));
    assertThat(MessageLog.reached(sender, null, to).getJsonObject(1).getString("agent"))
        .as("without its meshwork's name, the sender is named by the meshwork's id").isEqualTo(home.id() + "/builder");
    assertThat(MessageLog.reached(sender, home.name(), List.of(recipient(home, "reviewer"))))
        .containsExactly(new JsonObject().put("meshwork", home.id()).put("agent", "builder").put("recipients", new JsonArray().add("reviewer")));
  }

  private static Recipient recipient(Mesh mesh, String agent) {
    return new Recipient(UUID.fromString(mesh.id()), mesh.name(), agent);
  }

  @Test
  @DisplayName("a record it cannot store is refused with a reason that quotes none of it")
  void unreadable() {
    JsonObject event = LogFeed.event(home, "task.created", "builder", new JsonObject().put("title", "secret plans")).toJson();
    assertThatThrownBy(() -> LogEntries.of(event.copy().put("meshwork", "secret plans").encode()))
        .isInstanceOf(LogEntries.UnreadableRecord.class)
        .hasMessage("its meshwork is not an id");
    assertThatThrownBy(() -> LogEntries.of("{\"secret plans\"")).hasMessage("it is not a JSON object");
  }
}
