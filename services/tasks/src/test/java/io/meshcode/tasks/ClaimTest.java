package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.claim;
import static io.meshcode.tasks.TasksClient.create;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Claiming a task")
class ClaimTest {

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  @Test
  @DisplayName("a claim assigns the task to the agent and starts it; claiming it again changes nothing")
  void claimAndAgain() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Parser").getString("id");

    JsonObject claimed = claim(client.guest(mesh, "builder"), mesh, "builder", id).expect(200);
    assertThat(claimed.getString("assignee")).isEqualTo("builder");
    assertThat(claimed.getString("status")).isEqualTo("in_progress");
    assertThat(claimed.getInteger("version")).isEqualTo(2);

    JsonObject again = claim(client.owner(mesh, "builder"), mesh, "builder", id).expect(200);
    assertThat(again).as("idempotent, for the owner acting as the agent too").isEqualTo(claimed);
  }

  @Test
  @DisplayName("a task another agent holds is 409 claimed naming the holder")
  void heldByAnother() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Parser").getString("id");
    claim(client.guest(mesh, "bob"), mesh, "bob", id).expect(200);

    ApiResponse refused = claim(client.guest(mesh, "ada"), mesh, "ada", id);
    refused.expectError(409, "claimed", "task is held by 'bob'");
    assertThat(refused.body().getJsonObject("error").getString("holder")).isEqualTo("bob");
    assertThat(client.spectator(mesh).get(mesh.task(id)).expect(200).getString("assignee")).isEqualTo("bob");
  }

  @Test
  @DisplayName("a task assigned to the agent is started by its claim; an unassigned blocked task keeps its status")
  void assignedOrBlocked() {
    Mesh mesh = Mesh.fresh();
    String assigned = create(client.owner(mesh), mesh, new JsonObject().put("title", "Yours").put("assignee", "ada")).getString("id");
    JsonObject started = claim(client.guest(mesh, "ada"), mesh, "ada", assigned).expect(200);
    assertThat(started.getString("status")).isEqualTo("in_progress");
    assertThat(started.getInteger("version")).isEqualTo(2);

    String blocked = create(client.owner(mesh), mesh, new JsonObject().put("title", "Stuck").put("status", "blocked")).getString("id");
    JsonObject taken = claim(client.guest(mesh, "ada"), mesh, "ada", blocked).expect(200);
    assertThat(taken.getString("status")).isEqualTo("blocked");
    assertThat(taken.getString("assignee")).isEqualTo("ada");
  }

  @Test
  @DisplayName("a done or cancelled task cannot be claimed until it is reopened, even after its holder finished")
  void closed() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, new JsonObject().put("title", "Old").put("assignee", "bob").put("status", "done"))
        .getString("id");
    ApiResponse refused = claim(client.guest(mesh, "ada"), mesh, "ada", id);
    refused.expectError(409, "task_closed", "task is done; reopen it before claiming it");
    assertThat(refused.body().getJsonObject("error").getString("status")).isEqualTo("done");

    client.owner(mesh).patch(mesh.task(id), new JsonObject().put("status", "todo").putNull("assignee")).expect(200);
    assertThat(claim(client.guest(mesh, "ada"), mesh, "ada", id).expect(200).getString("assignee")).isEqualTo("ada");
  }

  @Test
  @DisplayName("of 20 agents claiming one task at once exactly one wins, and the 19 others are told who")
  void concurrentClaims() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Contested").getString("id");
    List<ApiResponse> answers = TasksConcurrency.all(20, i -> {
      String agent = "agent-" + i;
      return client.guest(mesh, agent).sendAsync("POST", mesh.claim(agent, id), null);
    });

    List<ApiResponse> won = answers.stream().filter(r -> r.status() == 200).toList();
    assertThat(won).hasSize(1);
    String winner = won.get(0).body().getString("assignee");
    assertThat(winner).isEqualTo("agent-" + answers.indexOf(won.get(0)));
    List<ApiResponse> lost = answers.stream().filter(r -> r.status() != 200).toList();
    assertThat(lost).hasSize(19).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.code()).isEqualTo("claimed");
      assertThat(r.error()).isEqualTo("task is held by '" + winner + "'");
    });
    JsonObject task = client.spectator(mesh).get(mesh.task(id)).expect(200);
    assertThat(task.getString("assignee")).isEqualTo(winner);
    assertThat(task.getInteger("version")).isEqualTo(2);
  }

  @Test
  @DisplayName("claiming an unknown task is 404; a claim for another agent than the token's is 404 and changes nothing")
  void unknownOrOtherAgent() {
    Mesh mesh = Mesh.fresh();
    String id = create(client.owner(mesh), mesh, "Mine").getString("id");
    claim(client.guest(mesh, "ada"), mesh, "ada", "0190a4c2-0000-7000-8000-000000000000")
        .expectError(404, "not_found", "no task with that id in this meshwork");
    assertThat(claim(client.guest(mesh, "ada"), mesh, "bob", id).status()).isEqualTo(404);
    assertThat(claim(client.owner(mesh), mesh, "bob", id).status()).as("an owner token naming no agent").isEqualTo(404);
    assertThat(client.owner(mesh).get(mesh.task(id)).expect(200).getString("assignee")).isNull();
  }
}
