package io.meshcode.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker, run in its own JVM by meshcode-embedded.
 *
 * <p>Usage: {@code BrokerMain <dataDir> <brokerPort> <controllerPort> <parentPid> [<securityFile>]}.
 * Prints {@value #READY_PREFIX} followed by the broker port on stdout once clients can use it,
 * and exits by itself when the parent process dies. Without a security file the client listener
 * is PLAINTEXT; with one, it authenticates as {@link BrokerSecurity} says. A data folder keeps the
 * protocol it was formatted with: SCRAM users live in the storage, so it cannot change later.
 */
public final class BrokerMain {

  public static final String READY_PREFIX = "MESHCODE-BROKER-READY";

  private static final String LOG4J_CONFIG = "META-INF/meshcode/broker-log4j2.xml";
  private static final String MODE_FILE = "listener.protocol";

  private BrokerMain() {
  }

  public static void main(String[] args) throws Exception {
    // Before any logger exists: the config lives off the classpath root on purpose.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", LOG4J_CONFIG);
    }
    if (args.length != 4 && args.length != 5) {
      System.err.println("usage: BrokerMain <dataDir> <brokerPort> <controllerPort> <parentPid> [<securityFile>]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]).toAbsolutePath();
    int brokerPort = Integer.parseInt(args[1]);
    int controllerPort = Integer.parseInt(args[2]);
    long parentPid = Long.parseLong(args[3]);

    Logger log = LoggerFactory.getLogger(BrokerMain.class);
    exitWhenParentDies(parentPid, log);

    Files.createDirectories(dataDir);
    Path logDir = dataDir.resolve("logs");
    BrokerSecurity security = args.length == 5 ? BrokerSecurity.read(Path.of(args[4])) : null;
    Properties props = BrokerProperties.singleNode(logDir, brokerPort, controllerPort);
    if (security != null) {
      security.apply(props, brokerPort, controllerPort);
    }
    Path propsFile = BrokerProperties.write(dataDir, props);
    formatIfNeeded(dataDir, logDir, propsFile, security);

    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.shutdown();
      } catch (Throwable e) {
        log.error("Broker shutdown failed", e);
        Runtime.getRuntime().halt(1);
      }
    }, "meshcode-broker-shutdown"));
    try {
      // Returns once the broker is registered and unfenced, so topics can be created.
      server.startup();
    } catch (Throwable e) {
      log.error("Broker failed to start on port {}", brokerPort, e);
      System.exit(1);
    }
    System.out.println(READY_PREFIX + " " + brokerPort);
    System.out.flush();
    server.awaitShutdown();
  }

  /**
   * Kafka refuses unformatted log dirs; formatting twice would fail, and data must survive
   * restarts. The protocol formatted with is kept beside the data, and a start with another is
   * refused: the admin's SCRAM credentials are written by the format, or never.
   */
  private static void formatIfNeeded(Path dataDir, Path logDir, Path propsFile, BrokerSecurity security) throws IOException {
    Path modeFile = dataDir.resolve(MODE_FILE);
    String mode = security == null ? "PLAINTEXT" : security.protocol();
    if (Files.exists(logDir.resolve("meta.properties"))) {
      String formatted = Files.exists(modeFile) ? Files.readString(modeFile).trim() : "PLAINTEXT";
      if (!formatted.equals(mode)) {
        throw new IOException(dataDir + " was formatted for a " + formatted + " listener and cannot serve " + mode
            + "; start on a fresh folder");
      }
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    List<String> format = new ArrayList<>(List.of(
        "format", "--cluster-id", clusterId, "--config", propsFile.toString(), "--ignore-formatted"));
    if (security != null) {
      format.addAll(security.formatArguments());
    }
    int rc = StorageTool.execute(format.toArray(String[]::new), System.err);
    if (rc != 0) {
      throw new IOException("Formatting " + logDir + " failed with exit code " + rc);
    }
    Files.writeString(modeFile, mode + "\n");
  }

  /** The parent may be killed with SIGKILL; a broker must never outlive it. */
  private static void exitWhenParentDies(long parentPid, Logger log) {
    ProcessHandle.of(parentPid).ifPresentOrElse(
        parent -> parent.onExit().thenRun(() -> {
          log.warn("Parent process {} exited; stopping the broker", parentPid);
          System.exit(0);
        }),
        () -> {
          log.warn("Parent process {} is not running; exiting", parentPid);
          System.exit(0);
        });
  }
}
