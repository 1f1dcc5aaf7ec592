package io.meshcode.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per parked wait: the mesh's live heap (after a full collection) with {@code waits} waits
 * parked, minus the same with none, divided by {@code waits}. The waits spread over 10 meshworks
 * of 100 agents, so many waits share an agent; each one holds its own connection and request.
 */
final class ParkedWaitMemory {

  record Result(long before, long parked, int waits, double bytesPerWait) {}

  private ParkedWaitMemory() {}

  static Result measure(MeshProcess mesh, Api setup, Api waiters, int waits) throws Exception {
    List<String> inboxes = new ArrayList<>();
    for (int m = 0; m < 10; m++) {
      String meshwork = "pw" + m + "-" + Long.toString(System.nanoTime(), 36);
      List<String> agents = new ArrayList<>();
      for (int a = 0; a < 100; a++) {
        agents.add("a" + a);
      }
      setup.meshwork(meshwork, agents);
      agents.forEach(agent -> inboxes.add(Api.agentPath(meshwork, agent)));
    }
    // Every inbox read once (pools, prepared statements and caches warm) before the baseline.
    for (String inbox : inboxes) {
      setup.await(setup.expect(200, HttpMethod.GET, inbox + "/wait?timeout=0", null));
    }
    Thread.sleep(2000);
    long before = mesh.liveHeapBytes();
    List<Future<?>> parked = new ArrayList<>();
    for (int i = 0; i < waits; i++) {
      parked.add(waiters.call(HttpMethod.GET, inboxes.get(i % inboxes.size()) + "/wait?timeout=55", null));
      if (i % 500 == 499) {
        Thread.sleep(200);
      }
    }
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (parkedOnGateway(setup) < waits) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + parkedOnGateway(setup) + " of " + waits + " waits parked");
      }
      Thread.sleep(200);
    }
    Thread.sleep(1000);
    long with = mesh.liveHeapBytes();
    return new Result(before, with, waits, (with - before) / (double) waits);
  }

  /** The gateway's own count of parked waits, from its Prometheus metrics. */
  static int parkedOnGateway(Api api) {
    String metrics = api.call(HttpMethod.GET, "/metrics", null).toCompletionStage().toCompletableFuture().join().bodyAsString();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("meshcode_waits_parked")) {
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
