package io.meshcode.local;

import io.meshcode.core.retry.Backoff;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server the local mesh started (the broker, PostgreSQL) and keeps running: when it exits
 * without being asked to, it is started again on the same port and data, after a back-off that
 * doubles from {@link Restarts#first} to {@link Restarts#max} while restarts keep failing or the
 * server keeps dying young, and starts again from {@code first} once it has run for
 * {@link Restarts#stable}. Until it is back, {@link #restarting()} says what happened and what is
 * being done, for the mesh's readiness.
 */
final class Supervised<T> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Supervised.class);

  /** Starts the server; blocks until it is ready and gives up (with an exception) when interrupted. */
  @FunctionalInterface
  interface Starter<T> {
    T start() throws Exception;
  }

  /** Restarts back off with {@link Backoff} from {@code first} to {@code max}; a run of {@code stable} starts it over. */
  record Restarts(Duration first, Duration max, Duration stable) {
    static final Restarts DEFAULT = new Restarts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  private final String name;
  private final Starter<T> starter;
  private final Function<T, CompletableFuture<Integer>> exits;
  private final Consumer<T> stopper;
  private final Restarts restarts;
  private final Backoff backoff;
  private final PrintStream out;
  private final ScheduledExecutorService scheduler;

  private final Object lock = new Object();
  private T current;
  private boolean closed;
  private long startedNanos;
  private long downSinceNanos;
  private int attempts;
  private String outage;
  private String status;

  private Supervised(String name, Starter<T> starter, Function<T, CompletableFuture<Integer>> exits, Consumer<T> stopper,
      Restarts restarts, PrintStream out, ScheduledExecutorService scheduler) {
    this.name = name;
    this.starter = starter;
    this.exits = exits;
    this.stopper = stopper;
    this.restarts = restarts;
    this.backoff = new Backoff(restarts.first(), restarts.max());
    this.out = out;
    this.scheduler = scheduler;
  }

  /** Starts the server the first time (a failure here is the caller's) and supervises it from then on. */
  static <T> Supervised<T> start(String name, Starter<T> starter, Function<T, CompletableFuture<Integer>> exits,
      Consumer<T> stopper, Restarts restarts, PrintStream out) throws Exception {
    return start(name, starter, exits, stopper, restarts, out, Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "local-mesh-supervise-" + name);
      thread.setDaemon(true);
      return thread;
    }));
  }

  /** For tests: restarts run on {@code scheduler}, which a test can see terminated once this is closed. */
  static <T> Supervised<T> start(String name, Starter<T> starter, Function<T, CompletableFuture<Integer>> exits,
      Consumer<T> stopper, Restarts restarts, PrintStream out, ScheduledExecutorService scheduler) throws Exception {
    Supervised<T> supervised = new Supervised<>(name, starter, exits, stopper, restarts, out, scheduler);
    T server;
    try {
      server = starter.start();
    } catch (Exception | Error e) {
      supervised.scheduler.shutdownNow();
      throw e;
    }
    synchronized (supervised.lock) {
      supervised.current = server;
      supervised.startedNanos = System.nanoTime();
    }
    supervised.watch(server);
    return supervised;
  }

  /** The running server; empty while it is being restarted. */
  Optional<T> current() {
    synchronized (lock) {
      return Optional.ofNullable(current);
    }
  }

  /** What is being restarted and why, while it is; empty while the server runs. */
  Optional<String> restarting() {
    synchronized (lock) {
      return closed ? Optional.empty() : Optional.ofNullable(status);
    }
  }

  private void watch(T server) {
    exits.apply(server).whenComplete((code, failure) -> exited(server, code));
  }

  private void exited(T server, Integer code) {
    synchronized (lock) {
      if (closed || server != current) {
        return;
      }
      current = null;
      downSinceNanos = System.nanoTime();
      if (Duration.ofNanos(downSinceNanos - startedNanos).compareTo(restarts.stable()) >= 0) {
        backoff.reset();
        attempts = 0;
      }
      outage = name + " exited with code " + code + " at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
      status = outage;
    }
    stopQuietly(server); // it is gone; this releases what it held (locks, pid files)
    synchronized (lock) {
      if (closed) {
        return;
      }
      Duration delay = scheduleRestart();
      status = outage + "; restarting it in " + seconds(delay);
      message(status);
    }
  }

  /** Call holding the lock. */
  private Duration scheduleRestart() {
    Duration delay = Duration.ofMillis(backoff.nextMillis());
    scheduler.schedule(this::restart, delay.toMillis(), TimeUnit.MILLISECONDS);
    return delay;
  }

  private void restart() {
    int attempt;
    synchronized (lock) {
      if (closed) {
        return;
      }
      attempt = ++attempts;
      status = outage + "; restarting it (attempt " + attempt + ")";
    }
    T server;
    try {
      server = starter.start();
    } catch (Exception | Error e) {
      synchronized (lock) {
        if (closed) {
          return;
        }
        String why = firstLine(e);
        Duration delay = scheduleRestart();
        status = outage + "; restart attempt " + attempt + " failed (" + why + "); next attempt in " + seconds(delay);
        message(name + " could not be restarted (" + why + "); trying again in " + seconds(delay));
        LOG.debug("Restarting {} failed", name, e);
      }
      return;
    }
    synchronized (lock) {
      if (closed) {
        stopQuietly(server);
        return;
      }
      current = server;
      startedNanos = System.nanoTime();
      status = null;
      message(name + " is running again (down " + seconds(Duration.ofNanos(startedNanos - downSinceNanos)) + ")");
    }
    watch(server);
  }

  /**
   * Restarts no more: a restart waiting for its back-off is dropped, one under way interrupted (its
   * server stopped by the start that gives up). The running server keeps running.
   */
  void stopRestarting() {
    synchronized (lock) {
      closed = true;
    }
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("A restart of {} did not give up within 15 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops restarting, then stops the server. */
  @Override
  public void close() {
    stopRestarting();
    T server;
    synchronized (lock) {
      server = current;
      current = null;
    }
    if (server != null) {
      stopQuietly(server);
    }
  }

  private void stopQuietly(T server) {
    try {
      stopper.accept(server);
    } catch (RuntimeException e) {
      LOG.warn("Stopping {} failed", name, e);
    }
  }

  private void message(String line) {
    out.println(line + ".");
    out.flush();
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    return message.lines().findFirst().orElse(message).strip();
  }

  private static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
