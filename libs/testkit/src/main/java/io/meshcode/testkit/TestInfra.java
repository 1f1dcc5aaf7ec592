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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The real Kafka broker and PostgreSQL every test in this JVM shares, started on first use (the
 * two in parallel) and stopped when the JVM exits. Tests isolate themselves with fresh ids, never
 * by truncating tables, so they can share one of each.
 */
public final class TestInfra {

  private static volatile TestInfra instance;

  private final EmbeddedKafka kafka;
  private final EmbeddedPostgresServer postgres;
  private final InternalKeys internalKeys = InternalKeys.generate();

  private TestInfra(EmbeddedKafka kafka, EmbeddedPostgresServer postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  public static TestInfra get() {
    TestInfra local = instance;
    if (local == null) {
      synchronized (TestInfra.class) {
        local = instance;
        if (local == null) {
          instance = local = start();
        }
      }
    }
    return local;
  }

  private static TestInfra start() {
    try {
      Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "meshcode-test-infra");
      CompletableFuture<EmbeddedKafka> kafka = CompletableFuture.supplyAsync(() -> {
        try {
          return EmbeddedKafka.start(root.resolve("kafka"), 0);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(root.resolve("postgres"), 0);
      return new TestInfra(kafka.join(), postgres);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test Kafka broker and PostgreSQL", e);
    } catch (CompletionException e) {
      throw new IllegalStateException("cannot start the test Kafka broker", e.getCause());
    }
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedPostgresServer postgres() {
    return postgres;
  }

  /** The key pair the gateway signs internal tokens with in tests. */
  public InternalKeys internalKeys() {
    return internalKeys;
  }

  /**
   * The environment a service needs to run against this infrastructure, on a free loopback port.
   * Pass extra variables to override or add.
   */
  public Map<String, String> serviceEnv(Map<String, String> extra) {
    Map<String, String> env = ServiceSettings.loopbackEnvironment(
        new DatabaseSettings(postgres.host(), postgres.port(), postgres.database(), postgres.user(), postgres.password(), 8),
        kafka.bootstrapServers(),
        internalKeys.publicKeyPem());
    env.put("MESHCODE_SHUTDOWN_GRACE_SECONDS", "2");
    env.putAll(extra);
    return env;
  }
}
