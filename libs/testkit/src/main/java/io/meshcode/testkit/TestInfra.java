package io.meshcode.testkit;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.db.DatabaseSettings;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.embedded.EmbeddedKafka;
import io.meshcode.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real Kafka broker and PostgreSQL every test in this JVM shares, started on first use (the
 * two in parallel) and stopped when the JVM exits. Tests isolate themselves with fresh ids, never
 * by truncating tables, so they can share one of each.
 *
 * <p>By default both are embedded (a KRaft broker in a child JVM, PostgreSQL from Maven Central's
 * binaries): no Docker needed. Where a Docker engine exists, {@code -Dmeshcode.test.infra=testcontainers}
 * runs them as containers instead.
 */
public final class TestInfra {

  public static final String BACKEND_PROPERTY = "meshcode.test.infra";
  /**
   * How many replicas of every service the end-to-end suites' meshes run (default 1, in the test
   * JVM); 2 or more runs each replica as its own process behind a proxy per service, as the
   * {@code replicas} executions of the build do.
   */
  public static final String REPLICAS_PROPERTY = "meshcode.test.replicas";

  private static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
  private static final String POSTGRES_IMAGE = "postgres:17-alpine";
  private static final int POOL_SIZE = 8;
  private static volatile TestInfra instance;

  private final String backend;
  private final String kafkaBootstrap;
  private final DatabaseSettings database;
  private final InternalKeys internalKeys = InternalKeys.generate();

  private TestInfra(String backend, String kafkaBootstrap, DatabaseSettings database) {
    this.backend = backend;
    this.kafkaBootstrap = kafkaBootstrap;
    this.database = database;
  }

  public static TestInfra get() {
    TestInfra local = instance;
    if (local == null) {
      synchronized (TestInfra.class) {
        local = instance;
        if (local == null) {
          String backend = System.getProperty(BACKEND_PROPERTY, "embedded");
          instance = local = switch (backend) {
            case "embedded" -> startEmbedded();
            case "testcontainers" -> startContainers();
            default -> throw new IllegalArgumentException(
                BACKEND_PROPERTY + ": expected embedded or testcontainers, got '" + backend + "'");
          };
        }
      }
    }
    return local;
  }

  private static TestInfra startEmbedded() {
    try {
      Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "meshcode-test-infra");
      CompletableFuture<EmbeddedKafka> kafka = CompletableFuture.supplyAsync(() -> {
        try {
          return EmbeddedKafka.start(root.resolve("kafka"), 0);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(root.resolve("postgres"), 0);
      return new TestInfra("embedded", kafka.join().bootstrapServers(),
          new DatabaseSettings(pg.host(), pg.port(), pg.database(), pg.user(), pg.password(), POOL_SIZE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test Kafka broker and PostgreSQL", e);
    } catch (CompletionException e) {
      throw new IllegalStateException("cannot start the test Kafka broker", e.getCause());
    }
  }

  /** Containers are removed by Testcontainers' reaper when the JVM exits. */
  private static TestInfra startContainers() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      throw new IllegalStateException(BACKEND_PROPERTY + "=testcontainers needs a Docker engine, and none answers;"
          + " leave the property unset to use the embedded broker and database");
    }
    KafkaContainer kafka = new KafkaContainer(KAFKA_IMAGE);
    PostgreSQLContainer postgres = new PostgreSQLContainer(POSTGRES_IMAGE);
    CompletableFuture<Void> kafkaStarted = CompletableFuture.runAsync(kafka::start);
    postgres.start();
    kafkaStarted.join();
    return new TestInfra("testcontainers", kafka.getBootstrapServers(), new DatabaseSettings(
        postgres.getHost(), postgres.getMappedPort(5432), postgres.getDatabaseName(),
        postgres.getUsername(), postgres.getPassword(), POOL_SIZE));
  }

  /** {@code embedded} or {@code testcontainers}. */
  public String backend() {
    return backend;
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public DatabaseSettings database() {
    return database;
  }

  /** A plain JDBC connection, for tests that look at what a service stored. */
  public Connection openJdbc() throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  /** The key pair the gateway signs internal tokens with in tests. */
  /** The replica count asked for with {@value #REPLICAS_PROPERTY}: 1 unless a build execution sets more. */
  public static int replicas() {
    String value = System.getProperty(REPLICAS_PROPERTY, "1");
    try {
      int replicas = Integer.parseInt(value.trim());
      if (replicas >= 1 && replicas <= 8) {
        return replicas;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(REPLICAS_PROPERTY + " must be a whole number 1-8, not '" + value + "'");
  }

  public InternalKeys internalKeys() {
    return internalKeys;
  }

  /**
   * The environment a service needs to run against this infrastructure, on a free loopback port.
   * Pass extra variables to override or add.
   */
  public Map<String, String> serviceEnv(Map<String, String> extra) {
    Map<String, String> env = ServiceSettings.loopbackEnvironment(database, kafkaBootstrap, internalKeys.publicKeyPem());
    env.put("MESHCODE_SHUTDOWN_GRACE_SECONDS", "2");
    env.putAll(extra);
    return env;
  }
}
