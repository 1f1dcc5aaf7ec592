package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.ApiResponse;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestMeshwork;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of every service, each its own process behind a proxy per service, on the test
 * kit's broker and PostgreSQL: what only several replicas can show. (The end-to-end suites run
 * against the same kind of mesh in the build's {@code replicas} executions.)
 */
@DisplayName("Two replicas of every service")
class ReplicasIT {

  private static MeshFixture mesh;
  private static ReplicatedServices replicas;
  private static Vertx vertx;
  private static InternalTokens tokens;

  record Team(String id, String name) implements TestMeshwork {}

  @BeforeAll
  static void start() {
    mesh = MeshFixture.startReplicated(2);
    replicas = mesh.replicated();
    vertx = Vertx.vertx();
    tokens = InternalTokens.signer(vertx, TestInfra.get().internalKeys());
  }

  @AfterAll
  static void stop() {
    mesh.close();
    vertx.close();
  }

  @Test
  @DisplayName("of 20 agents claiming one task at once through two tasks replicas, exactly one wins and both replicas tell the others who")
  void claimRaceAcrossTasksReplicas() {
    Team team = TestMeshwork.fresh(Team::new);
    ApiCaller owner = caller(0, new InternalPrincipal(Ids.newId(), KeyKind.OWNER, team.id(), null));
    String id = owner.post(team.path() + "/tasks", new JsonObject().put("title", "Contested")).expect(201).getString("id");

    List<CompletableFuture<ApiResponse>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String agent = "agent-" + i;
      ApiCaller guest = caller(i % 2, new InternalPrincipal(Ids.newId(), KeyKind.GUEST, team.id(), agent));
      claims.add(guest.sendAsync("POST", team.agentPath(agent) + "/tasks/" + id + "/claim", null));
    }
    List<ApiResponse> answers = claims.stream().map(CompletableFuture::join).toList();

    List<ApiResponse> won = answers.stream().filter(answer -> answer.status() == 200).toList();
    assertThat(won).as("exactly one claim wins").hasSize(1);
    String winner = won.get(0).body().getString("assignee");
    for (int replica = 0; replica < 2; replica++) {
      List<ApiResponse> lost = new ArrayList<>();
      for (int i = replica; i < answers.size(); i += 2) {
        if (answers.get(i).status() != 200) {
          lost.add(answers.get(i));
        }
      }
      assertThat(lost).as("tasks-%d's refusals", replica).isNotEmpty().allSatisfy(answer -> {
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.error()).isEqualTo("task is held by '" + winner + "'");
      });
    }
    for (int replica = 0; replica < 2; replica++) {
      assertThat(caller(replica, new InternalPrincipal(Ids.newId(), KeyKind.SPECTATOR, team.id(), null))
          .get(team.path() + "/tasks/" + id).expect(200).getString("assignee"))
          .as("the task as tasks-%d reads it", replica).isEqualTo(winner);
    }
  }

  @Test
  @DisplayName("the gateways' proxy spreads clients over both gateways, and each reaches every service through its proxy")
  void clientsSpreadOverGateways() throws Exception {
    String owner = mesh.newOwner("spread");
    long[] before = {replicas.connectionsTo("gateway", 0), replicas.connectionsTo("gateway", 1)};
    for (int i = 0; i < 6; i++) {
      // A client of its own each time, so a connection of its own, as six editors would make.
      HttpClient editor = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> me = editor.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replicas.publicPort() + "/v1/me"))
          .header("Authorization", "Bearer " + owner).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(me.statusCode()).isEqualTo(200);
    }
    assertThat(replicas.connectionsTo("gateway", 0) - before[0]).as("connections given to gateway-0").isPositive();
    assertThat(replicas.connectionsTo("gateway", 1) - before[1]).as("connections given to gateway-1").isPositive();
  }

  @Test
  @DisplayName("a replica that dies on its own is started again on its port, as a Deployment would, and serves")
  void crashedReplicaComesBack() throws Exception {
    ProcessHandle before = replicas.process("memory-1");
    before.destroyForcibly();
    assertThat(MeshProcesses.allGone(List.of(before))).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (replicas.process("memory-1").pid() == before.pid() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(replicas.process("memory-1").pid()).as("a new memory-1 process").isNotEqualTo(before.pid());
    replicas.awaitReady("memory-1", Duration.ofSeconds(90));

    Team team = TestMeshwork.fresh(Team::new);
    ApiCaller ada = new ApiCaller(replicas.port("memory-1"), tokens, new InternalPrincipal(Ids.newId(), KeyKind.GUEST, team.id(), "ada"));
    assertThat(ada.put(team.agentPath("ada") + "/memory/plan", new JsonObject().put("value", "ship it")).status())
        .as("the restarted replica stores a memory").isBetween(200, 201);
  }

  @Test
  @DisplayName("a replica whose port another program took starts on a new port, and that program gets no request, though it answers the probe as another service")
  void replicaMovesOffATakenPort() throws Exception {
    replicas.stop("bus-1");
    int taken = replicas.port("bus-1");
    AtomicInteger misrouted = new AtomicInteger();
    // What once answered bus calls in CI: another MeshCode service, ready, saying 404 to every bus path.
    HttpServer impostor = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/readiness")) {
        request.response().putHeader("content-type", "application/json").end("{\"service\":\"memory\",\"status\":\"UP\"}");
      } else {
        misrouted.incrementAndGet();
        request.response().setStatusCode(404).end();
      }
    });
    impostor.listen(taken, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      replicas.start("bus-1");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (replicas.port("bus-1") == taken && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(replicas.port("bus-1")).as("bus-1's port after its own was taken").isNotEqualTo(taken);
      replicas.awaitReady(Duration.ofSeconds(90));

      Team team = TestMeshwork.fresh(Team::new);
      ApiCaller owner = new ApiCaller(replicas.proxyPort("bus"), tokens, new InternalPrincipal(Ids.newId(), KeyKind.OWNER, team.id(), null));
      long before = replicas.connectionsTo("bus", 1);
      List<CompletableFuture<ApiResponse>> reads = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // At once, so the client opens connections of its own and the proxy spreads them.
        reads.add(owner.sendAsync("GET", team.path() + "/presence", null));
      }
      assertThat(reads.stream().map(CompletableFuture::join).map(ApiResponse::status).toList())
          .as("presence through the bus proxy").containsOnly(200);
      assertThat(replicas.connectionsTo("bus", 1) - before).as("connections given to bus-1 on its new port").isPositive();
      assertThat(misrouted).as("requests that reached the program on bus-1's old port").hasValue(0);
    } finally {
      impostor.close();
    }
  }

  private static ApiCaller caller(int tasksReplica, InternalPrincipal principal) {
    return new ApiCaller(replicas.port(ReplicatedServices.replica("tasks", tasksReplica)), tokens, principal);
  }
}
