package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("A supervised server")
class SupervisedTest {

  private static final Supervised.Restarts FAST =
      new Supervised.Restarts(Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofSeconds(60));

  /** A stand-in server: exits when told to. */
  static final class FakeServer {
    final CompletableFuture<Integer> exit = new CompletableFuture<>();
    final long startedNanos = System.nanoTime();
    volatile boolean stopped;

    void crash(int code) {
      exit.complete(code);
    }

    void stop() {
      stopped = true;
      exit.complete(0);
    }
  }

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
  private final List<FakeServer> started = new CopyOnWriteArrayList<>();

  private Supervised<FakeServer> supervise(Supervised.Starter<FakeServer> starter) throws Exception {
    return Supervised.start("kafka", starter, server -> server.exit, FakeServer::stop, FAST, out);
  }

  private FakeServer startOne() {
    FakeServer server = new FakeServer();
    started.add(server);
    return server;
  }

  @Test
  @DisplayName("is started again after it dies, says so meanwhile, and says nothing once it is back")
  void restartsAfterACrash() throws Exception {
    try (Supervised<FakeServer> supervised = supervise(this::startOne)) {
      assertThat(supervised.restarting()).isEmpty();
      FakeServer first = supervised.current().orElseThrow();
      first.crash(137);
      assertThat(supervised.restarting()).hasValueSatisfying(status ->
          assertThat(status).startsWith("kafka exited with code 137 at ").contains("restarting it"));
      await(() -> started.size() == 2 && supervised.current().isPresent());
      assertThat(supervised.restarting()).isEmpty();
      assertThat(first.stopped).as("what the dead one held is released").isTrue();
      assertThat(started.get(1).startedNanos - first.startedNanos)
          .as("not before the first back-off").isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
      assertThat(output.toString(StandardCharsets.UTF_8)).contains("kafka exited with code 137").contains("kafka is running again");
    }
  }

  @Test
  @DisplayName("waits twice as long after each failed restart, up to the maximum, and says why it failed")
  void backsOffWhileRestartsFail() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Long> attempts = new CopyOnWriteArrayList<>();
    try (Supervised<FakeServer> supervised = supervise(() -> {
      if (calls.getAndIncrement() == 0) {
        return startOne();
      }
      attempts.add(System.nanoTime());
      if (attempts.size() < 5) {
        throw new IllegalStateException("Address already in use\nmore detail");
      }
      return startOne();
    })) {
      long crashed = System.nanoTime();
      supervised.current().orElseThrow().crash(1);
      await(() -> attempts.size() >= 2);
      assertThat(supervised.restarting()).hasValueSatisfying(status ->
          assertThat(status).contains("failed (Address already in use)").contains("next attempt in"));
      await(() -> supervised.current().isPresent());
      assertThat(attempts).hasSize(5);
      List<Long> gaps = new ArrayList<>();
      long previous = crashed;
      for (long attempt : attempts) {
        gaps.add(TimeUnit.NANOSECONDS.toMillis(attempt - previous));
        previous = attempt;
      }
      // 100, 200, 400, 400, 400 ms (timers are never early)
      assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
      assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200);
      assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400);
      assertThat(gaps.get(3)).isGreaterThanOrEqualTo(400).isLessThan(800);
      assertThat(supervised.restarting()).isEmpty();
    }
  }

  @Test
  @DisplayName("is not restarted once the mesh stops, and is stopped with it")
  void staysDownWhenClosed() throws Exception {
    ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor();
    Supervised<FakeServer> supervised = Supervised.start("kafka", this::startOne, server -> server.exit, FakeServer::stop, FAST, out, restarts);
    FakeServer first = supervised.current().orElseThrow();
    first.crash(137); // its restart is due in 100 ms
    supervised.close();
    assertThat(restarts.isTerminated()).as("no restart left to run").isTrue();
    assertThat(started).hasSize(1);
    assertThat(supervised.restarting()).isEmpty();

    output.reset();
    Supervised<FakeServer> running = supervise(this::startOne);
    FakeServer server = running.current().orElseThrow();
    running.close();
    assertThat(server.stopped).isTrue();
    assertThat(output.toString(StandardCharsets.UTF_8)).as("its own stop is no crash").doesNotContain("exited");
    assertThat(started).hasSize(2);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
