package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Task assignments reach the assignee's inbox")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskNoticesTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  private LogFeed feed;

  @BeforeAll
  void start() {
    feed = new LogFeed();
  }

  @AfterAll
  void stop() {
    feed.close();
  }

  @Test
  @DisplayName("a task.assigned event becomes one message of kind event to the assignee, even when the event comes twice")
  void notice() {
    Mesh mesh = Mesh.fresh();
    EventEnvelope assigned = LogFeed.event(mesh, "task.assigned", "lead",
        new JsonObject().put("task_id", "7f0c").put("title", "Write the parser").put("assignee", "builder").put("by", "lead"));
    feed.send(Topics.EVENTS, assigned);
    feed.send(Topics.EVENTS, assigned);
    // A barrier: the meshwork's events are read in order, so once its notice is in, the copy was handled.
    feed.send(Topics.EVENTS, LogFeed.event(mesh, "task.assigned", "lead",
        new JsonObject().put("task_id", "barrier").put("title", "Barrier").put("assignee", "builder").put("by", "lead")));

    Caller builder = client.owner(mesh, "builder");
    JsonArray messages = awaitMessages(builder, mesh, "barrier");
    assertThat(messages).as("the event and the barrier, the second copy of the event notifying nobody").hasSize(2);
    JsonObject notice = messages.getJsonObject(0);
    assertThat(notice.getString("from")).isEqualTo("lead");
    assertThat(notice.getString("kind")).isEqualTo("event");
    assertThat(notice.getString("text")).isEqualTo("You were assigned the task \"Write the parser\" (7f0c).");
    assertThat(notice.getJsonObject("data").getString("task_id")).isEqualTo("7f0c");
    assertThat(notice.getString("thread_id")).isEqualTo("task-7f0c");
    assertThat(builder.get(mesh.agentPath("builder") + "/inbox/count").expect(200).getLong("unread")).isEqualTo(2);
  }

  @Test
  @DisplayName("an assignment by the owner comes from 'meshcode'; one without a valid assignee notifies nobody")
  void fromOwner() {
    Mesh mesh = Mesh.fresh();
    feed.send(Topics.EVENTS, LogFeed.event(mesh, "task.assigned", null,
        new JsonObject().put("task_id", "x1").put("title", "Bad").put("assignee", "Not A Name")));
    feed.send(Topics.EVENTS, LogFeed.event(mesh, "task.assigned", null,
        new JsonObject().put("task_id", "x2").put("title", "Review").put("assignee", "reviewer")));
    // x2 comes after x1: once its notice is in, x1 was handled.
    JsonArray messages = awaitMessages(client.owner(mesh, "reviewer"), mesh, "x2");
    assertThat(messages).hasSize(1);
    assertThat(messages.getJsonObject(0).getString("from")).isEqualTo("meshcode");
  }

  /** The caller's inbox once it holds the notice of task {@code taskId}. */
  private static JsonArray awaitMessages(Caller caller, Mesh mesh, String taskId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      JsonArray messages = caller.get(mesh.agentPath(caller.principal().agent()) + "/inbox").expect(200).getJsonArray("messages");
      if (messages.stream().anyMatch(m -> taskId.equals(((JsonObject) m).getJsonObject("data").getString("task_id")))) {
        return messages;
      }
      assertThat(System.nanoTime()).as("a notice within 20 s").isLessThan(deadline);
      BusClient.sleep(100);
    }
  }
}
