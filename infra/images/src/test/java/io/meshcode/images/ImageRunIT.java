package io.meshcode.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.testkit.TestInfra;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each image's own entrypoint, user and environment, run in its laid-out root file system with the
 * Kubernetes manifests' restrictions ({@link ContainerRun}): this is what proves the jlinked
 * runtime holds every module the services load, and that they write nothing outside /tmp.
 */
@DisplayName("The service images, run as the Kubernetes manifests run them (user 10001, read-only root, /tmp apart)")
class ImageRunIT {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration STOP = Duration.ofSeconds(60);
  /** A runtime or file system the image lacks shows as one of these. */
  private static final Pattern BROKEN = Pattern.compile(
      "NoClassDefFoundError|ClassNotFoundException|UnsatisfiedLinkError|Read-only file system|AccessDeniedException|Permission denied");
  /** What a JVM ended by SIGTERM exits with, once its shutdown hooks (the graceful stop) have run. */
  private static final int SIGTERM_EXIT = 128 + 15;
  private static final Map<String, JsonObject> RUN_CONFIGS = new LinkedHashMap<>();
  private static Path work;

  @BeforeAll
  static void layOut() throws Exception {
    ContainerRun.requireSupport();
    work = Path.of(System.getProperty("java.io.tmpdir"), "containers");
    deleteTree(work);
    for (ServiceImage service : ServiceImage.ALL) {
      ImageTarball image = ImageTarball.open(service.tarball());
      Path root = work.resolve(service.name());
      image.extractTo(root);
      ContainerRun.prepareMountPoints(root);
      RUN_CONFIGS.put(service.name(), image.runConfig());
    }
  }

  /** The laid-out images go (half a gigabyte); the containers' output stays for a look after a failure. */
  @AfterAll
  static void removeRoots() throws IOException {
    if (work == null) {
      return; // skipped before laying anything out
    }
    for (ServiceImage service : ServiceImage.ALL) {
      deleteTree(work.resolve(service.name()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.meshcode.images.ServiceImage#ALL")
  @DisplayName("refuse to start without configuration, with the service's own message and exit code 2")
  void refuseMissingConfiguration(ServiceImage service) throws Exception {
    try (ContainerRun run = start(service.name(), Map.of(), entrypoint(service.name()), "unconfigured")) {
      assertThat(run.exitCode(START)).as(run.log()).isEqualTo(2);
      assertThat(run.log()).contains(service.name() + ": MESHCODE_INTERNAL_PUBLIC_KEY").doesNotContainPattern(BROKEN);
    }
  }

  @Test
  @DisplayName("run the whole mesh against a real PostgreSQL and Kafka: every service ready, the gateway answering an owner and making a meshwork through invites, a graceful stop on SIGTERM")
  void runTheMesh() throws Exception {
    TestInfra infra = TestInfra.get();
    Map<String, ContainerRun> runs = new LinkedHashMap<>();
    try {
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (String name : List.of("bus", "memory", "tasks", "invites")) {
        runs.put(name, start(name, infra.serviceEnv(Map.of()), entrypoint(name), "mesh"));
      }
      for (String name : List.of("bus", "memory", "tasks", "invites")) {
        ports.put(name, listeningPort(runs.get(name), name));
      }
      String adminKey = SecretKeys.generate(SecretKeys.OWNER);
      Map<String, String> gatewayEnv = new HashMap<>(Map.of(
          "MESHCODE_INTERNAL_PRIVATE_KEY", infra.internalKeys().privateKeyPem(),
          "MESHCODE_BOOTSTRAP_KEY", adminKey));
      ports.forEach((name, port) -> gatewayEnv.put("MESHCODE_" + name.toUpperCase(Locale.ROOT) + "_URL", "http://127.0.0.1:" + port));
      runs.put("gateway", start("gateway", infra.serviceEnv(gatewayEnv), entrypoint("gateway"), "mesh"));
      ports.put("gateway", listeningPort(runs.get("gateway"), "gateway"));

      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (Map.Entry<String, Integer> service : ports.entrySet()) {
        awaitReady(http, service.getValue(), runs.get(service.getKey()));
      }
      URI gateway = URI.create("http://127.0.0.1:" + ports.get("gateway"));
      HttpResponse<String> me = http.send(HttpRequest.newBuilder(gateway.resolve("/v1/me"))
          .header("Authorization", "Bearer " + adminKey).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
      assertThat(new JsonObject(me.body()).getString("kind")).isEqualTo("owner");
      String meshwork = "images-" + Long.toHexString(System.nanoTime());
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(gateway.resolve("/v1/meshworks"))
          .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("name", meshwork).encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(new JsonObject(created.body()).getString("name")).isEqualTo(meshwork);

      List<String> stopOrder = new ArrayList<>(runs.keySet());
      stopOrder.remove("gateway");
      stopOrder.add(0, "gateway");
      for (String name : stopOrder) {
        ContainerRun run = runs.get(name);
        run.terminate();
        assertThat(run.exitCode(STOP)).as(name + ":\n" + run.log()).isEqualTo(SIGTERM_EXIT);
        assertThat(run.log()).as(name).contains(name + " stopped").doesNotContainPattern(BROKEN);
      }
    } finally {
      for (ContainerRun run : runs.values()) {
        run.close();
      }
    }
  }

  @Test
  @DisplayName("hold what a service's start does not reach: Kafka over SASL_SSL with SCRAM, TLS 1.3 with EC, ES256, UTF-8, and the JVM options")
  void runtimeProbe() throws Exception {
    String baseImage = System.getProperty("meshcode.base.image");
    assumeTrue(baseImage.equals("tar://" + ServiceImage.imagesDir().resolve("meshcode-base.tar")),
        "the probe checks the jlinked base this module makes, as the everyday build (./mvnw verify, as CI runs it)"
            + " does; the images were built on " + baseImage);
    Path root = work.resolve("bus");
    Path probeClasses = Path.of(RuntimeProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    String classFile = RuntimeProbe.class.getName().replace('.', '/');
    Path target = root.resolve("probe").resolve(classFile).getParent();
    Files.createDirectories(target);
    try (Stream<Path> compiled = Files.list(probeClasses.resolve(classFile).getParent())) {
      for (Path file : compiled.filter(f -> f.getFileName().toString().startsWith(RuntimeProbe.class.getSimpleName())).toList()) {
        Files.copy(file, target.resolve(file.getFileName()));
      }
    }
    List<String> command = List.of("java", "-cp", "/app/meshcode-bus.jar:/probe", RuntimeProbe.class.getName(), Integer.toString(closedPort()));
    try (ContainerRun run = start("bus", Map.of(), command, "probe")) {
      assertThat(run.exitCode(START)).as(run.log()).isZero();
      assertThat(run.log()).contains("probe: all checks passed").doesNotContainPattern(BROKEN);
    }
  }

  /** Starts {@code command} in the image of {@code name} as its user, with its environment plus {@code env}. */
  private static ContainerRun start(String name, Map<String, String> env, List<String> command, String purpose)
      throws IOException, InterruptedException {
    JsonObject config = RUN_CONFIGS.get(name);
    Map<String, String> environment = new LinkedHashMap<>();
    config.getJsonArray("Env").forEach(variable -> {
      String[] pair = ((String) variable).split("=", 2);
      environment.put(pair[0], pair[1]);
    });
    environment.putAll(env);
    return ContainerRun.start(work.resolve(name), config.getString("User"), environment, command, work.resolve(name + "-" + purpose + ".log"));
  }

  private static List<String> entrypoint(String name) {
    return RUN_CONFIGS.get(name).getJsonArray("Entrypoint").stream().map(String.class::cast).toList();
  }

  private static int listeningPort(ContainerRun run, String name) throws Exception {
    return Integer.parseInt(run.awaitOutput(Pattern.compile(name + " listening on 127\\.0\\.0\\.1:(\\d+)"), START).group(1));
  }

  private static void awaitReady(HttpClient http, int port, ContainerRun run) throws Exception {
    HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readiness")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = http.send(readiness, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 200) {
        return;
      }
      last = answer.body();
      Thread.sleep(250);
    }
    fail("not ready within " + START + ": " + last + "\n" + run.log());
  }

  private static void deleteTree(Path tree) throws IOException {
    if (!Files.exists(tree)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(tree)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
