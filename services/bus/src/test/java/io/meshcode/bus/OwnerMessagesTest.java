package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Caller;
import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.VouchedPerson;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The owner sending as a person")
class OwnerMessagesTest {

  @RegisterExtension
  static final BusClient client = BusClient.perClass(Map.of());

  private static String path(Mesh mesh) {
    return mesh.path() + "/messages";
  }

  /** The owner as the gateway forwards a send as a person: the recipients it resolved, and the account's name. */
  private static Caller owner(Mesh mesh, String person, String... recipients) {
    return client.as(principal(KeyKind.OWNER, mesh, person, recipients));
  }

  private static InternalPrincipal principal(KeyKind kind, Mesh mesh, String person, String... recipients) {
    JsonArray resolved = new JsonArray();
    for (String recipient : recipients) {
      resolved.add(new JsonObject().put("meshwork_id", mesh.id()).put("meshwork", mesh.name()).put("agent", recipient));
    }
    JsonObject vouched = new JsonObject().put("meshwork_name", mesh.name()).put("recipients", resolved);
    if (person != null) {
      vouched.put(VouchedPerson.CLAIM, person);
    }
    return new InternalPrincipal(Ids.newId(), kind, mesh.id(), null).vouching(vouched);
  }

  private static void refusedWith(ApiResponse response, int status, String message) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.error()).startsWith(message);
  }

  @Test
  @DisplayName("is stored from '@owner' with the person's name: in the answer, the log entry, each inbox and getMessage")
  void fromThePerson() {
    Mesh mesh = Mesh.fresh();
    JsonObject sent = owner(mesh, "Ada", "alpha", "beta").post(path(mesh), new JsonObject().put("to", "*").put("text", "stand-up"))
        .expect(201);
    assertThat(sent.getString("from")).isEqualTo("@owner");
    assertThat(sent.getString("from_person")).isEqualTo("Ada");
    assertThat(sent.getJsonArray("recipients")).extracting(r -> ((JsonObject) r).getString("agent")).containsExactly("alpha", "beta");
    String id = sent.getString("id");

    for (String agent : List.of("alpha", "beta")) {
      JsonObject message = client.owner(mesh, agent).post(mesh.agentPath(agent) + "/inbox/take", new JsonObject()).expect(200)
          .getJsonArray("messages").getJsonObject(0);
      assertThat(message.getString("id")).isEqualTo(id);
      assertThat(message.getString("from")).isEqualTo("@owner");
      assertThat(message.getString("from_person")).isEqualTo("Ada");
    }
    JsonObject entry = LogFeed.entries(client.spectator(mesh), mesh, "type=message.sent").get(0);
    assertThat(entry.getString("agent")).isEqualTo("@owner");
    assertThat(entry.getJsonObject("payload").getString("from_person")).isEqualTo("Ada");
    assertThat(entry.getJsonObject("payload").getString("from")).isEqualTo("@owner");
    assertThat(entry.getJsonArray("recipients").getList()).containsExactly("alpha", "beta");

    JsonObject found = client.spectator(mesh).get(mesh.path() + "/messages/" + id).expect(200);
    assertThat(found.getString("from")).isEqualTo("@owner");
    assertThat(found.getString("from_person")).isEqualTo("Ada");
    assertThat(found.getJsonArray("recipients")).extracting(r -> ((JsonObject) r).getString("state")).containsExactly("delivered", "delivered");
  }

  @Test
  @DisplayName("an agent's message carries no from_person")
  void agentsHaveNone() {
    Mesh mesh = Mesh.fresh();
    JsonObject sent = client.sender(mesh, "alpha", "beta").post(mesh.agentPath("alpha") + "/messages",
        new JsonObject().put("to", "beta").put("text", "hi")).expect(201);
    assertThat(sent.containsKey("from_person")).isFalse();
    JsonObject message = client.owner(mesh, "beta").get(mesh.agentPath("beta") + "/inbox").expect(200)
        .getJsonArray("messages").getJsonObject(0);
    assertThat(message.containsKey("from_person")).isFalse();
  }

  @Test
  @DisplayName("guests and spectators cannot send as a person, nor anyone without a person vouched for; the body cannot name one")
  void refused() {
    Mesh mesh = Mesh.fresh();
    JsonObject body = new JsonObject().put("to", "alpha").put("text", "hi");
    refusedWith(client.as(principal(KeyKind.GUEST, mesh, "Ada", "alpha")).post(path(mesh), body), 403, "only the meshwork's owner");
    refusedWith(client.as(principal(KeyKind.SPECTATOR, mesh, "Ada", "alpha")).post(path(mesh), body), 403, "a spectator link is read-only");
    refusedWith(owner(mesh, null, "alpha").post(path(mesh), body), 403, "this send's person was not vouched for");
    refusedWith(owner(mesh, "Ada", "alpha").post(path(mesh), body.copy().put("from_person", "Mallory")), 400, "unknown field 'from_person'");
    assertThat(LogFeed.entries(client.spectator(mesh), mesh, "")).isEmpty();
  }
}
