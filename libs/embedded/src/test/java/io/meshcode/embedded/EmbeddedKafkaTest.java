package io.meshcode.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {

  @Test
  void startsAnswersStopsAndRestartsOnTheSameDataDir() throws Exception {
    Path dir = TestDirs.fresh("kafka-restart");
    // As an earlier version left it: readable by everyone.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("broker.log"), "an earlier run\n");
    Files.setPosixFilePermissions(dir.resolve("broker.log"), PosixFilePermissions.fromString("rw-r--r--"));

    ProcessHandle first;
    String clusterId;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      first = kafka.process();
      assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
      assertThat(first.isAlive()).isTrue();
      assertAccepts(kafka.port());
      clusterId = clusterId(dir);
    }
    assertGone(first);

    EmbeddedKafka again = EmbeddedKafka.start(dir, 0);
    try {
      assertAccepts(again.port());
      assertThat(clusterId(dir)).as("storage is not re-formatted").isEqualTo(clusterId);
    } finally {
      again.close();
      again.close();
    }
    assertGone(again.process());
    assertThat(Files.readString(dir.resolve("broker.log"))).contains("MESHCODE-BROKER-READY " + again.port());
    assertOwnerOnly(dir);
  }

  /** Restarting it after that is the local mesh's SupervisionIT (about 12 s: the controller waits out the dead broker's session). */
  @Test
  void reportsItsExitAtOnce() throws Exception {
    Path dir = TestDirs.fresh("kafka-crash");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      kafka.process().destroyForcibly();
      assertThat(kafka.onExit().get(10, TimeUnit.SECONDS)).as("exit code of a SIGKILL").isEqualTo(137);
    }
  }

  /** Folders 0700 and files 0600, the broker's log and Kafka's own files included. */
  private static void assertOwnerOnly(Path dir) throws IOException {
    assertThat(dir.resolve("logs")).isDirectory();
    try (var walk = Files.walk(dir)) {
      for (Path path : walk.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
        assertThat(mode).as(path.toString()).isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
      }
    }
  }

  @Test
  void brokerExitsWhenItsParentIsKilled() throws Exception {
    Path dir = TestDirs.fresh("kafka-orphan");
    ProcessHandle broker;
    try (ChildJvm parent = ChildJvm.start("kafka", dir.resolve("broker"), dir.resolve("parent.log"))) {
      broker = ProcessHandle.of(parent.serverPid()).orElseThrow();
      parent.kill();
    }
    try {
      assertThat(Processes.awaitExit(broker, Duration.ofSeconds(30))).as("broker exited by itself").isTrue();
    } finally {
      broker.destroyForcibly();
    }
  }

  @Test
  void startRightAfterTheParentWasKilledStopsTheLeftoverBroker() throws Exception {
    Path dir = TestDirs.fresh("kafka-leftover");
    Path dataDir = dir.resolve("broker");
    ProcessHandle leftover;
    try (ChildJvm parent = ChildJvm.start("kafka", dataDir, dir.resolve("parent.log"))) {
      leftover = ProcessHandle.of(parent.serverPid()).orElseThrow();
      parent.kill();
    }
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
      assertThat(Processes.isRunning(leftover)).isFalse();
      assertAccepts(kafka.port());
    }
  }

  @Test
  void failedStartReportsTheBrokerLog() throws Exception {
    Path dir = TestDirs.fresh("kafka-port-taken");
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      assertThatThrownBy(() -> EmbeddedKafka.start(dir, taken.getLocalPort()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("Address already in use");
    }
    assertThat(ProcessHandle.current().children()).isEmpty();
  }

  /** SCRAM users live in the storage, written when it is formatted: a folder cannot switch protocols. */
  @Test
  void keepsTheProtocolItWasFormattedWith() throws Exception {
    Path dir = TestDirs.fresh("kafka-protocol");
    String password;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, EmbeddedKafka.Security.saslPlaintext(false))) {
      password = kafka.adminPassword();
      assertAccepts(kafka.port());
    }
    try (EmbeddedKafka again = EmbeddedKafka.start(dir, 0, EmbeddedKafka.Security.saslPlaintext(false))) {
      assertThat(again.adminPassword()).as("the admin's password the storage was formatted with").isEqualTo(password);
    }
    assertThatThrownBy(() -> EmbeddedKafka.start(dir, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was formatted for a SASL_PLAINTEXT listener and cannot serve PLAINTEXT");
    assertOwnerOnly(dir);
  }

  @Test
  void missingBrokerBuildIsExplained() throws IOException {
    try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
      assertThatThrownBy(() -> BrokerClasspath.resolve(empty))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("./mvnw install -DskipTests");
    }
  }

  @Test
  void usesTheBrokerJarWhenItsClassesDirIsGone() throws IOException {
    Path dir = TestDirs.fresh("broker-jar");
    Path jar = dir.resolve("meshcode-kafka-broker-1.0.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(BrokerClasspath.PROPERTIES_RESOURCE));
      out.write("classes=/no/such/dir\n".getBytes(StandardCharsets.UTF_8));
      out.putNextEntry(new JarEntry(BrokerClasspath.JARS_RESOURCE));
      out.write(jar.toString().getBytes(StandardCharsets.UTF_8));
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThat(BrokerClasspath.resolve(loader)).isEqualTo(jar + File.pathSeparator + jar);
    }
  }

  private static void assertAccepts(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      assertThat(socket.isConnected()).isTrue();
    }
  }

  private static void assertGone(ProcessHandle process) {
    assertThat(process.isAlive()).isFalse();
    assertThat(ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid)).doesNotContain(process.pid());
  }

  private static String clusterId(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("logs/meta.properties")).stream()
        .filter(line -> line.startsWith("cluster.id="))
        .findFirst().orElseThrow();
  }
}
