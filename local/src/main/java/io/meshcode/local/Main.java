package io.meshcode.local;

import io.meshcode.core.MeshcodeVersion;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.logging.LogSettings;
import io.meshcode.core.service.PortInUseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code infra/local/run-mesh}: the whole mesh on this machine, in the foreground until Ctrl-C. */
@Command(
    name = "run-mesh",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Starts the whole MeshCode mesh on this machine: an embedded PostgreSQL and Kafka broker and all five",
        "services. Data is kept under $MESHCODE_HOME/dev (default ~/.meshcode/dev). Stop it with Ctrl-C."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:stopped by Ctrl-C or SIGTERM",
        "1:the mesh failed to start",
        "2:bad option or environment value",
        "3:another local mesh is already running on this data folder",
        "4:the gateway port is already in use"})
public final class Main implements Callable<Integer> {

  static final int EXIT_FAILED = 1;
  static final int EXIT_CONFIG = 2;
  static final int EXIT_ALREADY_RUNNING = 3;
  static final int EXIT_PORT_IN_USE = 4;

  @Option(names = "--port", paramLabel = "PORT", description = "Gateway port (default: $MESHCODE_PORT, else 8080).")
  private Integer port;

  @Option(names = ReplicaCounts.OPTION, paramLabel = "COUNTS",
      description = {"Run several replicas of services, each as its own process behind a round-robin proxy, as on",
          "Kubernetes: a count for every service (2), or service=count pairs (gateway=2,bus=2; the others 1)."})
  private String replicas;

  @Option(names = "--fresh", description = "Wipe the data folder first: every meshwork, message and key is lost.")
  private boolean fresh;

  private final EnvConfig env;

  Main(EnvConfig env) {
    this.env = env;
  }

  public static void main(String[] args) {
    EnvConfig env = EnvConfig.fromSystem();
    // Logging first, before the broker and database start in parallel threads.
    try {
      LogSettings.from(env.variables()).apply(Map.of(org.slf4j.Logger.ROOT_LOGGER_NAME, ch.qos.logback.classic.Level.toLevel(LocalMesh.LOG_LEVEL)));
    } catch (LogSettings.Refused e) {
      System.err.println(e.getMessage());
      System.exit(EXIT_CONFIG);
      return;
    }
    int exit = new CommandLine(new Main(env)).execute(args);
    // A normal return means start-up failed; a running mesh ends through its shutdown hook.
    System.exit(exit);
  }

  @Override
  public Integer call() throws Exception {
    int gatewayPort;
    String ownerKey;
    Path dataRoot;
    Map<String, Integer> replicaCounts;
    try {
      replicaCounts = replicas == null ? Map.of() : ReplicaCounts.parse(replicas);
      gatewayPort = port != null ? checkPort(port) : env.port("MESHCODE_PORT", 8080);
      dataRoot = DataFolder.locate(env.optional("MESHCODE_HOME"));
      ownerKey = env.secret("MESHCODE_BOOTSTRAP_KEY").orElse(null);
      if (ownerKey != null && !SecretKeys.isWellFormed(ownerKey, SecretKeys.OWNER)) {
        throw new ConfigException("MESHCODE_BOOTSTRAP_KEY", "an owner key: mc_ followed by 32-128 letters and digits", null);
      }
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return EXIT_CONFIG;
    }

    Optional<DataFolder> locked = DataFolder.lock(dataRoot);
    if (locked.isEmpty()) {
      System.err.println("A local mesh is already running on " + dataRoot + " (pid " + DataFolder.holderPid(dataRoot)
          + "). Stop it first, or set MESHCODE_HOME to use another data folder.");
      return EXIT_ALREADY_RUNNING;
    }
    DataFolder data = locked.get();
    if (!portIsFree(gatewayPort)) {
      data.close();
      return portInUse(gatewayPort);
    }
    if (fresh) {
      System.out.println("Wiping " + dataRoot + " (--fresh).");
      data.wipe();
    }
    if (ownerKey == null) {
      ownerKey = data.ownerKey().orElseGet(() -> SecretKeys.generate(SecretKeys.OWNER));
    }
    data.saveOwnerKey(ownerKey);

    LocalMesh mesh = new LocalMesh(System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping the mesh…");
      mesh.close();
      closeQuietly(data);
      System.out.println("Stopped.");
      stopped.countDown();
    }, "local-mesh-shutdown"));
    try {
      mesh.start(data, gatewayPort, ownerKey, data.internalKeys(), replicaCounts);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PortInUseException inUse) {
        return portInUse(inUse.port());
      }
      System.err.println("The mesh failed to start: " + e.getCause().getMessage());
      return EXIT_FAILED;
    } catch (Exception e) {
      System.err.println("The mesh failed to start: " + e.getMessage());
      return EXIT_FAILED;
    }

    System.out.println();
    System.out.println("MeshCode " + MeshcodeVersion.get() + " is running.");
    System.out.println("  Gateway:    " + mesh.gatewayUrl());
    System.out.println("  Dashboard:  " + mesh.gatewayUrl() + "/dashboard   (sign in: meshcode dashboard)");
    System.out.println("  Owner key:  " + ownerKey + "   (kept in " + data.ownerKeyFile() + ")");
    System.out.println("  Data:       " + dataRoot);
    System.out.println("Press Ctrl-C to stop.");
    stopped.await();
    return 0;
  }

  private static int checkPort(int value) {
    if (value < 1 || value > 65535) {
      throw new ConfigException("--port", "a port number 1-65535", Integer.toString(value));
    }
    return value;
  }

  private static int portInUse(int port) {
    System.err.println("Port " + port + " is already in use: stop what uses it, or choose another with --port or MESHCODE_PORT.");
    return EXIT_PORT_IN_USE;
  }

  /** Checked before anything starts, so a taken port costs no broker or database start. */
  private static boolean portIsFree(int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(DataFolder data) {
    try {
      data.close();
    } catch (IOException ignored) {
      // The lock goes with the process anyway.
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"MeshCode local mesh " + MeshcodeVersion.get()};
    }
  }
}
