package io.meshcode.testkit;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.embedded.EmbeddedKafka;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;

/**
 * SCRAM users and their ACLs on a SASL broker of the test kit ({@link EmbeddedKafka.Security}),
 * made as its super user {@link EmbeddedKafka#ADMIN}, as Strimzi's user operator makes a
 * KafkaUser's. Clients then reach the broker with the variables of {@link #environment}.
 */
public final class KafkaUsers implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedKafka kafka;
  private final Map<String, String> tls;
  private final String protocol;
  private final Admin admin;

  /**
   * @param protocol the broker's: {@code SASL_PLAINTEXT} or {@code SASL_SSL}
   * @param tls what a client needs besides its credentials ({@code MESHCODE_KAFKA_TRUSTED_CA_FILE} over SASL_SSL)
   */
  public KafkaUsers(EmbeddedKafka kafka, String protocol, Map<String, String> tls) {
    this.kafka = kafka;
    this.protocol = protocol;
    this.tls = Map.copyOf(tls);
    KafkaSettings settings = KafkaSettings.from(new EnvConfig(environment(EmbeddedKafka.ADMIN, kafka.adminPassword())));
    this.admin = Admin.create(new HashMap<>(KafkaClients.common(settings, "test-kafka-users")));
  }

  /** What a service sets to reach the broker as {@code user}: the bootstrap, the protocol and the credentials. */
  public Map<String, String> environment(String user, String password) {
    Map<String, String> env = new HashMap<>(tls);
    env.put("MESHCODE_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("MESHCODE_KAFKA_SECURITY_PROTOCOL", protocol);
    env.put("MESHCODE_KAFKA_USERNAME", user);
    env.put("MESHCODE_KAFKA_PASSWORD", password);
    return env;
  }

  /** Makes (or changes the password of) a SCRAM-SHA-512 user. */
  public void create(String user, String password) throws Exception {
    admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
        .all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    // The broker applies it once the metadata reaches it: until then the user cannot sign in.
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!admin.describeUserScramCredentials(List.of(user)).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).containsKey(user)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("SCRAM user " + user + " never appeared");
      }
      Thread.sleep(50);
    }
  }

  /** Adds ACLs (on a broker that authorizes). */
  public void allow(Collection<AclBinding> acls) throws Exception {
    admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    admin.close(TIMEOUT);
  }
}
