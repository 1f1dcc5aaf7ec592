package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.http.edge.HttpEdge;
import io.meshcode.testkit.RawHttp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * 20,000 idle connections against the gateway from other processes while a real client keeps
 * calling on new connections: every call is answered, and the gateway never holds more
 * connections than its per-address limit allows, even when the flood comes from the real
 * client's own address.
 */
@DisplayName("The edge under an idle-connection flood")
class IdleFloodTest {

  private static final int PER_PROCESS = 10_000;
  private static final int PER_ADDRESS = 500;
  private static GatewayFixture mesh;

  @BeforeAll
  static void start() {
    mesh = GatewayFixture.start(Map.of("MESHCODE_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(PER_ADDRESS)));
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("keeps answering a real client while 20,000 idle connections are open against it")
  void floodOfIdleConnections() throws Exception {
    HttpEdge edge = mesh.gateway.verticle().edge();
    List<Flood> floods = List.of(new Flood("127.0.0.2", PER_PROCESS), new Flood("127.0.0.3", PER_PROCESS));
    try {
      long slowestMs = 0;
      int calls = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!floods.stream().allMatch(Flood::opened) && System.nanoTime() < deadline) {
        slowestMs = Math.max(slowestMs, callOnce());
        calls++;
      }
      assertThat(floods).as("both floods opened their connections").allMatch(Flood::opened);
      assertThat(floods.stream().mapToInt(Flood::openedCount).sum()).isGreaterThanOrEqualTo(2 * PER_PROCESS - 100);
      for (int i = 0; i < 10; i++) {
        slowestMs = Math.max(slowestMs, callOnce());
        calls++;
      }
      assertThat(edge.open()).as("connections the gateway holds").isLessThanOrEqualTo(2 * PER_ADDRESS + 10);
      System.out.printf("flood of 20,000: %d calls answered, slowest %d ms; the gateway holds %d, closed %d for room, turned away %d%n",
          calls, slowestMs, edge.open(), edge.evicted(), edge.refused());
      assertThat(slowestMs).as("the slowest call during the flood").isLessThan(10_000L);
    } finally {
      floods.forEach(Flood::close);
    }
  }

  @Test
  @DisplayName("makes room for a real client on the flood's own address by closing its longest-idle connection")
  void floodFromTheClientsAddress() throws Exception {
    HttpEdge edge = mesh.gateway.verticle().edge();
    Flood flood = new Flood("127.0.0.1", 2 * PER_ADDRESS);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!flood.opened() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(flood.opened()).isTrue();
      Thread.sleep(HttpEdge.GRACE_MILLIS + 200);
      int evictedBefore = edge.evicted();
      for (int i = 0; i < 5; i++) {
        callOnce();
      }
      assertThat(edge.evicted()).as("flood connections closed for the client's calls").isGreaterThan(evictedBefore);
      assertThat(edge.open()).isLessThanOrEqualTo(PER_ADDRESS + 10);
    } finally {
      flood.close();
    }
  }

  /** One keyed call and one readiness read, each on a new connection from 127.0.0.1; answers how long they took. */
  private static long callOnce() {
    long start = System.nanoTime();
    String me = RawHttp.get(mesh.port(), "/v1/me", "Authorization: Bearer " + mesh.adminKey);
    assertThat(RawHttp.status(me)).as(me).isEqualTo(200);
    String readiness = RawHttp.get(mesh.port(), "/readiness");
    assertThat(RawHttp.status(readiness)).as(readiness).isEqualTo(200);
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** An {@link IdleFlood} process. */
  private static final class Flood implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;
    private String openedLine;

    Flood(String address, int count) throws IOException {
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx128m", "-cp", System.getProperty("java.class.path"), IdleFlood.class.getName(),
          Integer.toString(mesh.port()), Integer.toString(count), address)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** True once it has opened every connection it was asked for (or failed to). */
    boolean opened() {
      try {
        if (openedLine == null && output.ready()) {
          openedLine = output.readLine();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return openedLine != null;
    }

    int openedCount() {
      return Integer.parseInt(openedLine.split(" ")[1]);
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
