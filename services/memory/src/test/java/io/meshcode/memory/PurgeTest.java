package io.meshcode.memory;

import static io.meshcode.memory.MemoryClient.memories;
import static io.meshcode.memory.MemoryClient.remember;
import static io.meshcode.memory.MemoryClient.scratchpad;
import static io.meshcode.memory.MemoryClient.set;
import static io.meshcode.memory.MemoryClient.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.meshcode.memory.MemoryClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.EventPublisher;
import io.meshcode.testkit.Eventually;
import io.meshcode.testkit.TestSql;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Removals purge memory")
class PurgeTest {

  @RegisterExtension
  static final MemoryClient client = MemoryClient.perClass();

  private static final EventPublisher publisher = new EventPublisher();

  @AfterAll
  static void close() {
    publisher.close();
  }

  @Test
  @DisplayName("a removed agent's memories are forgotten; what its slot's next agent wrote after the removal, other agents' and the scratchpad stay")
  void agentRemoved() {
    Mesh mesh = Mesh.fresh();
    ApiCaller builder = client.guest(mesh, "builder");
    ApiCaller reviewer = client.guest(mesh, "reviewer");
    remember(builder, mesh, "builder", "plan", "the old builder's plan").expect(200);
    remember(builder, mesh, "builder", "notes", "the old builder's notes").expect(200);
    remember(reviewer, mesh, "reviewer", "plan", "the reviewer's plan").expect(200);
    set(builder, mesh, "shared", value("for everyone")).expect(201);
    Instant removedAt = TestSql.separatingInstant();
    remember(builder, mesh, "builder", "fresh", "the next builder's").expect(200);

    // A record no consumer can read comes first: it is skipped, not retried for ever.
    publisher.send(Topics.AUTH, mesh.id(), "{not json");
    publisher.send(Topics.AUTH, removal(Removals.AGENT_REMOVED, mesh, "builder", removedAt));

    Eventually.equalTo(() -> memories(builder, mesh, "builder"), new JsonObject().put("fresh", "the next builder's"));
    assertThat(memories(reviewer, mesh, "reviewer")).isEqualTo(new JsonObject().put("plan", "the reviewer's plan"));
    assertThat(scratchpad(reviewer, mesh)).isEqualTo(new JsonObject().put("shared", "for everyone"));
  }

  @Test
  @DisplayName("a deleted meshwork's memories and scratchpad are gone; another meshwork's stay")
  void meshworkDeleted() {
    Mesh mesh = Mesh.fresh();
    Mesh other = Mesh.fresh();
    ApiCaller builder = client.guest(mesh, "builder");
    remember(builder, mesh, "builder", "plan", "a plan").expect(200);
    set(builder, mesh, "shared", value("for everyone")).expect(201);
    ApiCaller elsewhere = client.guest(other, "builder");
    remember(elsewhere, other, "builder", "plan", "another plan").expect(200);
    set(elsewhere, other, "shared", value("another meshwork's")).expect(201);

    publisher.send(Topics.AUTH, removal(Removals.MESHWORK_DELETED, mesh, null, Instant.now()));

    Eventually.equalTo(() -> scratchpad(client.owner(mesh), mesh), new JsonObject());
    assertThat(memories(client.owner(mesh, "builder"), mesh, "builder")).isEqualTo(new JsonObject());
    assertThat(memories(elsewhere, other, "builder")).isEqualTo(new JsonObject().put("plan", "another plan"));
    assertThat(scratchpad(elsewhere, other)).isEqualTo(new JsonObject().put("shared", "another meshwork's"));
  }

  private static EventEnvelope removal(String type, Mesh mesh, String agent, Instant at) {
    return new EventEnvelope(Ids.newId(), type, mesh.id(), agent, at, new JsonObject().put("name", agent));
  }

}
