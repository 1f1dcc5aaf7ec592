package io.meshcode.local;

import io.meshcode.testkit.TestInfra;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end suites' mesh with {@link TestInfra#replicas()} replicas of every service, each
 * its own process on the test kit's broker and PostgreSQL, the gateways behind one proxy. Shared
 * by the suites of this module, the CLI's and the MCP server's (this module's test jar).
 */
public final class TestReplicas {

  private static final List<String> JVM_OPTIONS = List.of(
      "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final List<ReplicatedServices> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

  private TestReplicas() {}

  /** Stops every mesh started here that is still running ({@link StopReplicasAtEnd}). */
  static void closeAll() {
    STARTED.forEach(ReplicatedServices::close);
    STARTED.clear();
  }

  /**
   * Starts the replicas and waits for all of them: every service with the test kit's environment
   * and {@code env}, the gateways with {@code gatewayEnv} too (their service addresses are the
   * proxies'), the gateways' proxy on {@code publicPort} (0 for any). Service logs go to
   * {@code target/replicas/<time>/logs}.
   */
  public static ReplicatedServices start(Map<String, String> gatewayEnv, Map<String, String> env, int publicPort) {
    return start(gatewayEnv, env, publicPort, TestInfra.replicas(), 1);
  }

  /** The same with {@code count} replicas of every service, and at least {@code gateways} gateways. */
  static ReplicatedServices start(Map<String, String> gatewayEnv, Map<String, String> env, int publicPort, int count, int gateways) {
    Map<String, Integer> replicas = new HashMap<>();
    ReplicatedServices.SERVICES.forEach(service -> replicas.put(service, count));
    replicas.merge("gateway", gateways, Math::max);
    try {
      Path root = Files.createDirectories(Path.of("target", "replicas", Long.toString(System.currentTimeMillis())))
          .toAbsolutePath();
      ReplicatedServices mesh = ReplicatedServices.start(replicas, TestInfra.get().serviceEnv(env), gatewayEnv, publicPort,
          ReplicatedServices.Launch.ofThisJvm(JVM_OPTIONS, root.resolve("logs"), root.resolve("tmp")), System.out);
      STARTED.add(mesh);
      Runtime.getRuntime().addShutdownHook(new Thread(mesh::close, "test-replicas-stop"));
      try {
        mesh.awaitReady(LocalMesh.readyTimeout(replicas));
      } catch (RuntimeException | InterruptedException e) {
        mesh.close();
        throw new IllegalStateException(e.getMessage(), e);
      }
      System.out.printf("test mesh: %s replicas of every service, gateways behind port %d, logs in %s%n",
          count, mesh.publicPort(), root.resolve("logs"));
      return mesh;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
