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

  /** The live heap before and with the waits parked; {@code grown}: the classes that grew most. */
  record Result(long before, long parked, int waits, double bytesPerWait, List<HeapHistogram.Growth> grown) {}

  /** How many of the classes that grew most a result names. */
  static final int TOP_CLASSES = 30;

  private ParkedWaitMemory() {}

  /**
   * How long each wait asks to park, so that the first is still parked when the last arrives on a
   * cold or busy mesh (the mesh is started with a maximum that allows it: {@link MeshProcess}).
   */
  static final int WAIT_SECONDS = 300;

  /** Waits sent at once, before the bench waits for them to park. */
  private static final int BATCH = 500;

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
    HeapHistogram before = mesh.liveHeap();
    List<Future<?>> parked = new ArrayList<>();
    long deadline = System.nanoTime() + (WAIT_SECONDS - 60) * 1_000_000_000L;
    for (int i = 0; i < waits; i++) {
      parked.add(waiters.call(HttpMethod.GET, inboxes.get(i % inboxes.size()) + "/wait?timeout=" + WAIT_SECONDS, null,
          (WAIT_SECONDS + 30) * 1000L));
      if (i % BATCH == BATCH - 1 || i == waits - 1) {
        // Each batch parks before the next leaves: on a busy machine a flood of new waits would
        // outlast the gateway's wait for a connection to the services, and fail rather than park.
        awaitParked(setup, parked, deadline);
      }
    }
    Thread.sleep(1000);
    HeapHistogram with = mesh.liveHeap();
    return new Result(before.totalBytes(), with.totalBytes(), waits, (with.totalBytes() - before.totalBytes()) / (double) waits,
        with.grownSince(before, TOP_CLASSES));
  }

  /** Until every one of {@code waits} is parked on the gateway; fails if one was answered (none should be). */
  private static void awaitParked(Api api, List<Future<?>> waits, long deadline) throws InterruptedException {
    int now;
    while ((now = parkedOnGateway(api)) < waits.size()) {
      Future<?> answered = waits.stream().filter(Future::isComplete).findFirst().orElse(null);
      if (answered != null || System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + now + " of " + waits.size() + " waits parked"
            + (answered == null ? "" : "; one was answered: " + (answered.failed() ? answered.cause() : answered.result())));
      }
      Thread.sleep(200);
    }
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
