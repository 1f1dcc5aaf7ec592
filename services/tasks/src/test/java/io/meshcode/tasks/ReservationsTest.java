package io.meshcode.tasks;

import static io.meshcode.tasks.TasksClient.held;
import static io.meshcode.tasks.TasksClient.reservation;
import static io.meshcode.tasks.TasksClient.reserve;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.meshcode.tasks.TasksClient.Mesh;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("File reservations")
class ReservationsTest {

  @RegisterExtension
  static final TasksClient client = TasksClient.perClass(Map.of());

  @Test
  @DisplayName("an agent reserves paths and globs with a reason; they are listed with their expiry")
  void reserveAndList() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    JsonObject granted = reserve(ada, mesh, "ada", reservation("parser refactor", "src//parser", "./docs/*.md", "src/parser"))
        .expect(201);
    JsonArray list = granted.getJsonArray("reservations");
    assertThat(list.stream().map(r -> ((JsonObject) r).getString("path")).toList())
        .as("normalized, repeats once").containsExactlyInAnyOrder("src/parser", "docs/*.md");
    JsonObject first = list.getJsonObject(0);
    assertThat(first.getString("agent")).isEqualTo("ada");
    assertThat(first.getString("reason")).isEqualTo("parser refactor");
    assertThat(first.getBoolean("shared")).isFalse();
    Instant expires = Instant.parse(first.getString("expires_at"));
    assertThat(expires).isCloseTo(Instant.parse(first.getString("created_at")).plusSeconds(1800), within(5, ChronoUnit.SECONDS));

    assertThat(held(client.spectator(mesh), mesh)).containsExactlyInAnyOrder("ada:src/parser", "ada:docs/*.md");
    Mesh other = Mesh.fresh();
    assertThat(held(client.owner(other), other)).as("another meshwork holds nothing").isEmpty();
  }

  @Test
  @DisplayName("an overlapping path of another agent is 409 reserved with holder, path and expiry, and nothing is granted")
  void conflict() {
    Mesh mesh = Mesh.fresh();
    String until = reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("api work", "src/**/*.java"))
        .expect(201).getJsonArray("reservations").getJsonObject(0).getString("expires_at");

    ApiResponse refused = reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("fix", "docs/a.md", "src/x/A.java"));
    refused.expectError(409, "reserved",
        "'src/x/A.java' is reserved by 'bob' as 'src/**/*.java' until " + until + " (api work)");
    JsonArray conflicts = refused.body().getJsonObject("error").getJsonArray("conflicts");
    assertThat(conflicts).hasSize(1);
    assertThat(conflicts.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("requested", "src/x/A.java").put("path", "src/**/*.java").put("holder", "bob")
        .put("reason", "api work").put("shared", false).put("expires_at", until));
    assertThat(held(client.owner(mesh), mesh)).as("all or nothing").containsExactly("bob:src/**/*.java");

    reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("fix", "src/x/A.ts", "docs/a.md")).expect(201);
    ApiResponse both = reserve(client.guest(mesh, "cy"), mesh, "cy", reservation("all", "src", "docs"));
    assertThat(both.expect(409).getJsonObject("error").getJsonArray("conflicts")).hasSize(3);
    assertThat(both.error()).endsWith("; 2 more in 'conflicts'");
  }

  @Test
  @DisplayName("shared reservations coexist with each other, but not with an exclusive one either way")
  void shared() {
    Mesh mesh = Mesh.fresh();
    JsonObject sharedRead = reservation("reading", "src/**").put("shared", true);
    reserve(client.guest(mesh, "ada"), mesh, "ada", sharedRead).expect(201);
    reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("reading too", "src/a.java").put("shared", true)).expect(201);

    ApiResponse exclusive = reserve(client.guest(mesh, "cy"), mesh, "cy", reservation("writing", "src/b.java"));
    assertThat(exclusive.expect(409).getJsonObject("error").getJsonArray("conflicts")).hasSize(1);
    assertThat(exclusive.error()).contains("reserved by 'ada'");

    reserve(client.guest(mesh, "cy"), mesh, "cy", reservation("writing", "lib/x.java")).expect(201);
    ApiResponse sharedOnExclusive = reserve(client.guest(mesh, "dee"), mesh, "dee", reservation("look", "lib").put("shared", true));
    sharedOnExclusive.expect(409);
    assertThat(sharedOnExclusive.code()).isEqualTo("reserved");
  }

  @Test
  @DisplayName("reserving one's own path again renews it with the new reason, time and sharing")
  void renew() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    JsonObject before = reserve(ada, mesh, "ada", reservation("first", "src/a.java").put("ttl_seconds", 60))
        .expect(201).getJsonArray("reservations").getJsonObject(0);
    JsonObject after = reserve(ada, mesh, "ada", reservation("second", "src/a.java", "src").put("ttl_seconds", 3600))
        .expect(201).getJsonArray("reservations").getJsonObject(0);
    assertThat(after.getString("created_at")).isEqualTo(before.getString("created_at"));
    assertThat(after.getString("reason")).isEqualTo("second");
    assertThat(Instant.parse(after.getString("expires_at"))).isAfter(Instant.parse(before.getString("expires_at")).plusSeconds(3000));
    assertThat(held(ada, mesh)).as("own paths never conflict").containsExactlyInAnyOrder("ada:src/a.java", "ada:src");
  }

  @Test
  @DisplayName("release takes paths in the query or the body, or releases all; other agents' reservations stay")
  void release() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    reserve(ada, mesh, "ada", reservation("work", "a", "b", "c/*.md", "d", "e")).expect(201);
    reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("work", "z")).expect(201);

    JsonObject byQuery = ada.delete(mesh.reserve("ada") + "?paths=a&paths=c/%2A.md&paths=never-held").expect(200);
    assertThat(byQuery.getJsonArray("released")).containsExactlyInAnyOrder("a", "c/*.md");
    JsonObject byBody = ada.send("DELETE", mesh.reserve("ada"), new JsonObject().put("paths", new JsonArray().add("./b/"))).expect(200);
    assertThat(byBody.getJsonArray("released")).containsExactly("b");
    assertThat(held(ada, mesh)).containsExactlyInAnyOrder("ada:d", "ada:e", "bob:z");

    assertThat(ada.delete(mesh.reserve("ada")).expect(200).getJsonArray("released")).containsExactlyInAnyOrder("d", "e");
    assertThat(ada.delete(mesh.reserve("ada")).expect(200).getJsonArray("released")).isEmpty();
    assertThat(held(ada, mesh)).containsExactly("bob:z");
    assertThat(client.guest(mesh, "bob").delete(mesh.reserve("ada")).status()).as("not bob's to release").isEqualTo(404);
    assertThat(held(ada, mesh)).containsExactly("bob:z");
  }

  @Test
  @DisplayName("the list keeps one agent's reservations, or those overlapping a path")
  void listFilters() {
    Mesh mesh = Mesh.fresh();
    reserve(client.guest(mesh, "ada"), mesh, "ada", reservation("w", "src/**/*.java", "docs/")).expect(201);
    reserve(client.guest(mesh, "bob"), mesh, "bob", reservation("w", "lib/B.java")).expect(201);
    ApiCaller spectator = client.spectator(mesh);
    assertThat(paths(spectator, mesh.reservations() + "?agent=bob")).containsExactly("bob:lib/B.java");
    assertThat(paths(spectator, mesh.reservations() + "?path=src/b/B.java")).containsExactly("ada:src/**/*.java");
    assertThat(paths(spectator, mesh.reservations() + "?path=lib")).containsExactly("bob:lib/B.java");
    assertThat(paths(spectator, mesh.reservations() + "?path=docs/x.md")).containsExactly("ada:docs");
    assertThat(paths(spectator, mesh.reservations() + "?path=README.md")).isEmpty();
    assertThat(paths(spectator, mesh.reservations() + "?path=**")).hasSize(3);
  }

  @Test
  @DisplayName("of agents racing for overlapping paths exactly one is granted, whatever replica answers")
  void concurrentConflicting() {
    Mesh mesh = Mesh.fresh();
    try (TasksClient second = TasksClient.start()) {
      List<ApiResponse> answers = TasksConcurrency.all(16, i -> {
        String agent = "agent-" + i;
        TasksClient replica = i % 2 == 0 ? client : second;
        String path = i % 3 == 0 ? "src/core/**" : i % 3 == 1 ? "src/core/Main.java" : "src";
        return replica.guest(mesh, agent).sendAsync("POST", mesh.reserve(agent), reservation("mine", path));
      });
      assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(1);
      assertThat(answers.stream().filter(r -> r.status() == 409)).hasSize(15).allSatisfy(r -> assertThat(r.code()).isEqualTo("reserved"));
      assertThat(held(client.owner(mesh), mesh)).hasSize(1);
    }
  }

  @Test
  @DisplayName("an agent holds at most 200 reservations; the one over is refused and nothing of it kept")
  void limit() {
    Mesh mesh = Mesh.fresh();
    ApiCaller ada = client.guest(mesh, "ada");
    for (int batch = 0; batch < 4; batch++) {
      int from = batch * 50;
      reserve(ada, mesh, "ada", reservation("many", IntStream.range(from, from + 50).mapToObj(i -> "f/" + i).toArray(String[]::new)))
          .expect(201);
    }
    reserve(ada, mesh, "ada", reservation("renewing is fine", "f/0", "f/199")).expect(201);
    reserve(ada, mesh, "ada", reservation("one more", "f/200", "f/1"))
        .expectError(409, "too_many_reservations", "an agent may hold at most 200 reservations; release some first");
    assertThat(held(ada, mesh)).hasSize(200).doesNotContain("ada:f/200");
  }

  private static List<String> paths(ApiCaller caller, String path) {
    JsonArray list = caller.get(path).expect(200).getJsonArray("reservations");
    return list.stream().map(r -> ((JsonObject) r).getString("agent") + ":" + ((JsonObject) r).getString("path")).toList();
  }
}
