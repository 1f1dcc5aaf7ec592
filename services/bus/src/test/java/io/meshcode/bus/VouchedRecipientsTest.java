package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.VouchedList;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A send's recipients as the gateway forwards them today: beside the message in the body, their
 * digest in the token. No list is too long for it, and no list but the vouched one is taken.
 */
@DisplayName("Recipients vouched for by digest")
class VouchedRecipientsTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(BusClient.FAST);

  private static JsonArray recipients(Mesh mesh, int count) {
    JsonArray list = new JsonArray();
    for (int i = 0; i < count; i++) {
      list.add(new JsonObject().put("meshwork_id", mesh.id()).put("meshwork", mesh.name()).put("agent", "agent-" + i));
    }
    return list;
  }

  private static Caller vouching(Mesh mesh, String agent, JsonArray list) {
    InternalPrincipal owner = new InternalPrincipal(Ids.newId(), KeyKind.OWNER, mesh.id(), agent);
    return client.as(owner.vouching(new JsonObject().put("meshwork_name", mesh.name())
        .put(VouchedList.RECIPIENTS_CLAIM, VouchedList.digest(list.encode()))));
  }

  private static JsonObject envelope(JsonArray list, JsonObject message) {
    return new JsonObject().put("recipients", list).put("message", message);
  }

  @Test
  @DisplayName("takes a broadcast to 300 agents, a list no header could carry, and queues it for every one")
  void longList() {
    Mesh mesh = Mesh.fresh();
    JsonArray list = recipients(mesh, 300);
    JsonObject sent = vouching(mesh, "lead", list)
        .post(mesh.agentPath("lead") + "/messages", envelope(list, new JsonObject().put("to", "*").put("text", "stand-up in 5")))
        .expect(201);
    assertThat(sent.getJsonArray("recipients")).hasSize(300);
    Caller last = client.owner(mesh, "agent-299");
    assertThat(last.get(mesh.agentPath("agent-299") + "/inbox/count").expect(200).getLong("unread")).isEqualTo(1);
  }

  @Test
  @DisplayName("refuses a list that is not the one the token vouches for with 403, and stores nothing")
  void tamperedList() {
    Mesh mesh = Mesh.fresh();
    JsonArray vouched = recipients(mesh, 2);
    JsonArray tampered = vouched.copy().add(new JsonObject().put("meshwork_id", Ids.newUuid().toString())
        .put("meshwork", "elsewhere").put("agent", "victim"));
    ApiResponse refused = vouching(mesh, "lead", vouched)
        .post(mesh.agentPath("lead") + "/messages", envelope(tampered, new JsonObject().put("to", "*").put("text", "hi")));
    assertThat(refused.status()).isEqualTo(403);
    ApiResponse bare = vouching(mesh, "lead", vouched)
        .post(mesh.agentPath("lead") + "/messages", new JsonObject().put("to", "*").put("text", "hi"));
    assertThat(bare.status()).as("a message without its vouched list").isIn(400, 403);
    Caller first = client.owner(mesh, "agent-0");
    assertThat(first.get(mesh.agentPath("agent-0") + "/inbox/count").expect(200).getLong("unread")).isZero();
  }
}
