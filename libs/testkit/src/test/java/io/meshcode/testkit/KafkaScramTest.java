package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.core.service.ServiceLauncher;
import io.meshcode.core.service.ServiceLauncher.RunningService;
import io.meshcode.core.service.ServiceLauncher.ServiceFactory;
import io.meshcode.core.service.ServiceSettings;
import io.meshcode.embedded.EmbeddedKafka;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Kafka clients on a broker that authenticates with SASL SCRAM-SHA-512")
class KafkaScramTest {

  /** Well above what a refused sign-in takes; a client that hangs on bad credentials fails the test. */
  private static final Duration REFUSAL_WITHIN = Duration.ofSeconds(15);

  private static final ServiceFactory PROBE =
      (env, metrics) -> new ProbeVerticle(ServiceSettings.from(env, "probe", 0), metrics);

  @RegisterExtension
  static final SecuredKafka KAFKA = SecuredKafka.perClass("kafka-scram", () -> EmbeddedKafka.Security.saslPlaintext(false), Map::of);

  @Test
  @DisplayName("a client built from MESHCODE_KAFKA_* with the right password creates its topic, produces and consumes")
  void rightPassword() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    KAFKA.users().create(user, "right \"password\" \\ with quotes");
    Path passwordFile = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "kafka-password", "");
    Files.writeString(passwordFile, "right \"password\" \\ with quotes\n");
    Map<String, String> env = new HashMap<>(KAFKA.users().environment(user, "unused"));
    env.remove("MESHCODE_KAFKA_PASSWORD");
    env.put("MESHCODE_KAFKA_PASSWORD_FILE", passwordFile.toString());
    KAFKA.assertRoundTrip(KafkaSettings.from(new EnvConfig(env)), user);
  }

  @Test
  @DisplayName("with a wrong password, the admin client, the producer and the consumer each fail at once with Kafka's authentication error, none hangs")
  void wrongPassword() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    KAFKA.users().create(user, "the-right-one");
    KafkaSettings settings = KafkaSettings.from(new EnvConfig(KAFKA.users().environment(user, "a-wrong-one")));

    KafkaAdminClient admin = KafkaClients.admin(KAFKA.vertx(), settings, user + "-admin");
    KafkaProducer<String, String> producer = KafkaClients.producer(KAFKA.vertx(), settings, user);
    KafkaConsumer<String, String> consumer = KafkaClients.consumer(KAFKA.vertx(), settings, user + "-consumer", user);
    try {
      assertRefused(admin.listTopics());
      assertRefused(producer.send(KafkaProducerRecord.create("scram-any", "k", "v")));
      assertRefused(consumer.subscribe("scram-any").compose(v -> consumer.poll(Duration.ofMillis(500))));
    } finally {
      TestServices.await(Future.join(consumer.close(), producer.close(), admin.close()));
    }
  }

  @Test
  @DisplayName("a service started with a wrong password stays unready and its readiness says Kafka refused its user, never showing the password; with the right one it is ready")
  void serviceReadinessNamesTheRefusal() throws Exception {
    String user = "meshcode-" + Ids.newId().substring(0, 8);
    KAFKA.users().create(user, "the-right-one");
    RunningService wrong = TestServices.await(ServiceLauncher.start("probe",
        new EnvConfig(TestInfra.get().serviceEnv(KAFKA.users().environment(user, "a-wrong-one"))), PROBE));
    try {
      JsonObject unready = awaitReadiness(wrong, body -> body.getJsonObject("checks").getJsonObject("kafka").getString("reason", "")
          .contains("invalid credentials"));
      assertThat(unready.getString("status")).isEqualTo("DOWN");
      assertThat(unready.getJsonObject("checks").getJsonObject("kafka").getString("reason"))
          .startsWith("topics not set up yet: Kafka refused to sign in as " + user + ": Authentication failed")
          .contains("SCRAM-SHA-512", "MESHCODE_KAFKA_PASSWORD")
          .doesNotContain("a-wrong-one");
    } finally {
      TestServices.stop(wrong);
    }

    RunningService right = TestServices.start("probe", PROBE, KAFKA.users().environment(user, "the-right-one"));
    try {
      awaitReadiness(right, body -> "UP".equals(body.getString("status")));
    } finally {
      TestServices.stop(right);
    }
  }

  private static JsonObject awaitReadiness(RunningService service, Predicate<JsonObject> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      last = new JsonObject(TestHttp.get(service.port(), "/readiness").body());
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("readiness never matched; last: " + last);
  }

  private static void assertRefused(Future<?> attempt) throws Exception {
    long start = System.nanoTime();
    CompletableFuture<?> outcome = attempt.toCompletionStage().toCompletableFuture();
    Throwable failure = null;
    try {
      outcome.get(REFUSAL_WITHIN.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      failure = e.getCause();
    }
    assertThat(failure).as("refused, not accepted").isNotNull();
    assertThat(causes(failure)).as(failure.toString()).anyMatch(SaslAuthenticationException.class::isInstance);
    assertThat(failure).hasStackTraceContaining("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REFUSAL_WITHIN);
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
