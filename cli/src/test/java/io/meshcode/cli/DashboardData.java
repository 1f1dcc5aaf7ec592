package io.meshcode.cli;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Data for the dashboard's browser tests, made through the public API as a team would make it:
 * a meshwork of many agent slots and many messages between them, for the page to open.
 */
final class DashboardData {

  /** Sends at most this many requests at once (-Dmeshcode.seed.concurrency): sends to one meshwork share its log counter, so more only queue. */
  static final int CONCURRENCY = Integer.getInteger("meshcode.seed.concurrency", 8);

  /** A seeded meshwork: its name, its agents (agent-01 …), how many messages were sent, and how long seeding took. */
  record Seeded(String meshwork, List<String> agents, int messages, long millis) {}

  private DashboardData() {}

  /**
   * A new meshwork of {@code owner} with {@code agents} slots (agent-01, agent-02, …, role "agent
   * work N") and {@code messages} direct messages among them: message k goes from agent k mod N to
   * another agent, cycling through the recipients, with text "message k from … to …". Sent in
   * parallel, {@value #CONCURRENCY} at a time, each one checked 201.
   */
  static Seeded seed(TestMesh mesh, String owner, int agents, int messages) throws Exception {
    if (agents < 2) {
      throw new IllegalArgumentException("messages need at least two agents");
    }
    long started = System.nanoTime();
    String meshwork = TestMesh.name("seed");
    mesh.expect(201, "POST", "/v1/meshworks", owner, new JsonObject().put("name", meshwork));
    List<String> names = IntStream.rangeClosed(1, agents).mapToObj(i -> String.format("agent-%02d", i)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      await(names.stream().map(name -> pool.submit(() -> mesh.expect(201, "POST", "/v1/meshworks/" + meshwork + "/agents", owner,
          new JsonObject().put("name", name).put("role", "agent work " + name.substring(6))))).toList());
      List<Future<?>> sends = new ArrayList<>(messages);
      for (int k = 0; k < messages; k++) {
        String from = names.get(k % agents);
        // k / agents cycles through the other agents: 1 … agents-1 places on.
        String to = names.get((k % agents + 1 + (k / agents) % (agents - 1)) % agents);
        String text = "message " + k + " from " + from + " to " + to;
        sends.add(pool.submit(() -> mesh.expect(201, "POST", "/v1/meshworks/" + meshwork + "/agents/" + from + "/messages", owner,
            new JsonObject().put("to", to).put("text", text))));
      }
      await(sends);
    } finally {
      pool.shutdownNow();
    }
    return new Seeded(meshwork, names, messages, (System.nanoTime() - started) / 1_000_000);
  }

  private static void await(List<? extends Future<?>> futures) throws Exception {
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error; // a refused call: expect()'s AssertionError, as the test would have seen it
        }
        throw e;
      }
    }
  }
}
