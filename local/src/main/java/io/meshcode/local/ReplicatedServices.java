package io.meshcode.local;

import io.meshcode.core.service.ServiceLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The five services as separate processes, as many replicas of each as asked for, the way a
 * Deployment runs them: each replica its own JVM on its own loopback port (kept across restarts,
 * unless another program took it meanwhile: then the replica exits with
 * {@link ServiceLauncher#EXIT_PORT_IN_USE} and is started again on a new one),
 * and a {@link RoundRobinProxy} per service in front of its replicas, as a Kubernetes Service is.
 * The gateways call the other services through their proxies; clients reach the gateways through
 * theirs, on the public port.
 *
 * <p>A replica that exits on its own (a crash) is started again after {@value #RESTART_DELAY_MS}
 * ms, as a Deployment would; one stopped or killed through this class stays stopped until
 * {@link #start(String)}. A replica's output goes to {@code <logs>/<replica>.log}.
 */
public final class ReplicatedServices implements AutoCloseable {

  /** Every service, the gateway first. */
  public static final List<String> SERVICES = List.of("gateway", "bus", "memory", "tasks", "invites");
  private static final List<String> BACKENDS = SERVICES.subList(1, SERVICES.size());
  private static final String PUBLIC_URL = "MESHCODE_PUBLIC_URL";
  private static final long RESTART_DELAY_MS = 1_000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  /**
   * How a replica's JVM is started: {@code java} with {@code jvmOptions}, the main class of its
   * service from {@code classpath}, its output appended to a file in {@code logs}.
   */
  public record Launch(Path java, List<String> jvmOptions, String classpath, Path logs, Path tmp) {

    /** This JVM's own {@code java} and class path: the local mesh's jar, or a test's class path. */
    public static Launch ofThisJvm(List<String> jvmOptions, Path logs, Path tmp) {
      return new Launch(Path.of(System.getProperty("java.home"), "bin", "java"), jvmOptions,
          System.getProperty("java.class.path"), logs, tmp);
    }
  }

  private final Map<String, Integer> replicas;
  private final Map<String, String> env;
  private final Map<String, String> gatewayEnv;
  private final Launch launch;
  private final PrintStream out;
  private final Vertx vertx = Vertx.vertx();
  /** Every replica's name, the gateways first. */
  private final List<String> names = new ArrayList<>();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final Map<String, RoundRobinProxy> proxies = new LinkedHashMap<>();
  private final Map<String, Integer> proxyPorts = new HashMap<>();
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  /** Replicas stopped on purpose: not restarted when they exit. */
  private final Map<String, Boolean> held = new ConcurrentHashMap<>();
  private final List<ProcessHandle> started = new ArrayList<>();
  private volatile boolean closing;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private ReplicatedServices(Map<String, Integer> replicas, Map<String, String> env, Map<String, String> gatewayEnv,
      Launch launch, PrintStream out) {
    this.replicas = replicas;
    this.env = env;
    this.gatewayEnv = gatewayEnv;
    this.launch = launch;
    this.out = out;
  }

  /**
   * Starts {@code replicas} of each service (a count for each of {@link #SERVICES}) with
   * {@code env}, the gateways with {@code gatewayEnv} too, and the gateways' proxy on
   * {@code publicPort} (0 for any free port). {@code MESHCODE_PUBLIC_URL}, unless one of the
   * environments sets it, is that proxy's address. Returns once every process runs; {@link
   * #awaitReady} waits for them to be ready.
   */
  public static ReplicatedServices start(Map<String, Integer> replicas, Map<String, String> env,
      Map<String, String> gatewayEnv, int publicPort, Launch launch, PrintStream out) throws IOException {
    for (String service : SERVICES) {
      Integer count = replicas.get(service);
      if (count == null || count < 1) {
        throw new IllegalArgumentException("no replica count for " + service + " in " + replicas);
      }
    }
    ReplicatedServices mesh = new ReplicatedServices(Map.copyOf(replicas), Map.copyOf(env), Map.copyOf(gatewayEnv), launch, out);
    try {
      mesh.startAll(publicPort);
      return mesh;
    } catch (IOException | RuntimeException e) {
      mesh.close();
      throw e;
    }
  }

  private void startAll(int publicPort) throws IOException {
    Files.createDirectories(launch.logs());
    Files.createDirectories(launch.tmp());
    // The proxies listen first: a replica's port, free when it is chosen, cannot then be one of theirs.
    for (String service : SERVICES) {
      RoundRobinProxy proxy = new RoundRobinProxy(vertx, service, replicas.get(service));
      proxies.put(service, proxy);
      proxyPorts.put(service, await(proxy.listen(service.equals("gateway") ? publicPort : 0)));
    }
    for (String service : SERVICES) {
      for (int i = 0; i < replicas.get(service); i++) {
        String replica = replica(service, i);
        names.add(replica);
        moveTo(replica, freePort());
      }
    }
    for (String name : names) {
      start(name);
    }
  }

  /** Gives {@code replica} a new port, and its service's proxy routes there from now on. */
  private void moveTo(String replica, int port) {
    ports.put(replica, port);
    proxies.get(serviceOf(replica)).route(indexOf(replica), port);
  }

  /** The name of replica {@code index} of {@code service}: {@code bus-0}, {@code gateway-1}. */
  public static String replica(String service, int index) {
    return service + "-" + index;
  }

  /** Every replica's name, the gateways first. */
  public List<String> replicaNames() {
    return List.copyOf(names);
  }

  /** How many replicas {@code service} has. */
  public int replicas(String service) {
    return replicas.get(service);
  }

  /** The port of one replica, as {@code bus-1}. */
  public int port(String replica) {
    Integer port = ports.get(replica);
    if (port == null) {
      throw new IllegalArgumentException("no replica " + replica + " (there are " + names + ")");
    }
    return port;
  }

  /** The port clients use: the gateways' proxy. */
  public int publicPort() {
    return proxyPorts.get("gateway");
  }

  /** The port of {@code service}'s proxy, which the gateways call. */
  public int proxyPort(String service) {
    return proxyPorts.get(service);
  }

  /** How many connections the proxy of {@code service} has given to its replica {@code index}. */
  public long connectionsTo(String service, int index) {
    return proxies.get(service).connectionsTo(index);
  }

  /** Starts {@code replica} (again), on its port, with its environment. */
  public void start(String replica) throws IOException {
    String service = serviceOf(replica);
    List<String> command = new ArrayList<>();
    command.add(launch.java().toString());
    command.addAll(launch.jvmOptions());
    command.add("-Djava.io.tmpdir=" + launch.tmp());
    command.addAll(List.of("-cp", launch.classpath(), "io.meshcode." + service + ".Main"));
    Path log = launch.logs().resolve(replica + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment(replica, service));
    held.remove(replica);
    Process process = builder.start();
    process.getOutputStream().close();
    synchronized (started) {
      started.add(process.toHandle());
    }
    running.put(replica, process);
    process.onExit().thenAccept(exited -> restartIfCrashed(replica, exited));
  }

  private void restartIfCrashed(String replica, Process exited) {
    if (closing || held.containsKey(replica) || running.get(replica) != exited) {
      return;
    }
    Path log = launch.logs().resolve(replica + ".log");
    if (exited.exitValue() == ServiceLauncher.EXIT_PORT_IN_USE) {
      // Another program took the port while the replica was down; a Deployment's pod would get a new address too.
      try {
        int taken = ports.get(replica);
        moveTo(replica, freePort());
        out.printf("  %s could not listen on port %d, which another program holds; starting it on port %d (its log: %s)%n",
            replica, taken, ports.get(replica), log);
      } catch (IOException e) {
        out.printf("  %s could not listen on its port, and no other port is free: %s%n", replica, e.getMessage());
      }
    } else {
      out.printf("  %s exited with %d; starting it again (its log: %s)%n", replica, exited.exitValue(), log);
    }
    vertx.setTimer(RESTART_DELAY_MS, id -> {
      if (closing || held.containsKey(replica) || running.get(replica) != exited) {
        return;
      }
      try {
        start(replica);
      } catch (IOException e) {
        out.printf("  %s could not be started again: %s%n", replica, e.getMessage());
      }
    });
  }

  private Map<String, String> environment(String replica, String service) {
    Map<String, String> replicaEnv = new HashMap<>();
    replicaEnv.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    replicaEnv.putAll(env);
    if (service.equals("gateway")) {
      replicaEnv.putAll(gatewayEnv);
    }
    // Unless told otherwise, the mesh's public address is where its gateways' proxy listens.
    replicaEnv.putIfAbsent(PUBLIC_URL, "http://127.0.0.1:" + proxyPorts.get("gateway"));
    // Where each replica listens and whom the gateways call is this class's to decide.
    replicaEnv.put("MESHCODE_HTTP_HOST", "127.0.0.1");
    replicaEnv.put("MESHCODE_HTTP_PORT", Integer.toString(ports.get(replica)));
    if (service.equals("gateway")) {
      for (String backend : BACKENDS) {
        replicaEnv.put("MESHCODE_" + backend.toUpperCase() + "_URL", "http://127.0.0.1:" + proxyPorts.get(backend));
      }
    }
    return replicaEnv;
  }

  /** SIGTERM, as Kubernetes stops a pod: the replica drains and exits; waits for that. It stays stopped. */
  public void stop(String replica) throws InterruptedException {
    Process process = hold(replica);
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(replica + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
    }
  }

  /** SIGKILL: the replica gets no chance to finish anything, as when a node dies. It stays stopped. */
  public void kill(String replica) throws InterruptedException {
    Process process = hold(replica);
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(replica + " pid " + process.pid() + " survived SIGKILL");
    }
  }

  /** The running process of {@code replica}, marked so that its exit is not taken for a crash. */
  private Process hold(String replica) {
    held.put(replica, true);
    Process process = running.get(replica);
    if (process == null) {
      throw new IllegalArgumentException("no replica " + replica + " (there are " + names + ")");
    }
    return process;
  }

  /** The process of {@code replica} now. */
  public ProcessHandle process(String replica) {
    return running.get(replica).toHandle();
  }

  /** Waits until {@code replica}'s own {@code /readiness} answers 200, as that service (not another program on its port). */
  public void awaitReady(String replica, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (true) {
      Process process = running.get(replica);
      if (process != null && !process.isAlive() && held.containsKey(replica)) {
        throw new IllegalStateException(replica + " is stopped");
      }
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port(replica) + "/readiness")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        int state = RoundRobinProxy.probeState(serviceOf(replica), response.statusCode(), response.body());
        if (state == RoundRobinProxy.READY) {
          return;
        }
        last = (state == RoundRobinProxy.SOMEONE_ELSE ? "another program answers on its port: " : "")
            + response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(replica + " not ready within " + timeout.toSeconds() + " s: " + last
            + " (its log: " + launch.logs().resolve(replica + ".log") + ")");
      }
      Thread.sleep(200);
    }
  }

  /** Waits until every replica is ready, and the proxies have seen it. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String replica : names) {
      awaitReady(replica, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    Thread.sleep(2 * RoundRobinProxy.PROBE_INTERVAL_MS);
  }

  /** Every process started, restarted ones included, for a check that none outlives its mesh. */
  public List<ProcessHandle> everyProcess() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  /**
   * SIGTERM to every replica, the gateways first so that no request reaches a stopped service
   * from them; SIGKILL to one still running after {@code STOP_TIMEOUT}. Then the proxies.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    closing = true;
    stopAll(service -> service.startsWith("gateway-"));
    stopAll(service -> !service.startsWith("gateway-"));
    try {
      await(Future.join(proxies.values().stream().map(RoundRobinProxy::close).toList()).mapEmpty());
    } catch (IOException e) {
      out.println("  the proxies did not close cleanly: " + e.getMessage());
    }
    vertx.close();
  }

  private void stopAll(java.util.function.Predicate<String> which) {
    List<Process> stopping = new ArrayList<>();
    running.forEach((name, process) -> {
      if (which.test(name)) {
        held.put(name, true);
        process.destroy();
        stopping.add(process);
      }
    });
    for (Process process : stopping) {
      try {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int indexOf(String replica) {
    return Integer.parseInt(replica.substring(replica.lastIndexOf('-') + 1));
  }

  private static String serviceOf(String replica) {
    int dash = replica.lastIndexOf('-');
    String service = dash < 0 ? replica : replica.substring(0, dash);
    if (!SERVICES.contains(service)) {
      throw new IllegalArgumentException("no service " + service + " (there are " + SERVICES + ")");
    }
    return service;
  }

  private static <T> T await(Future<T> future) throws IOException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException(e.getCause() == null ? e.toString() : e.getCause().getMessage(), e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
