package io.meshcode.k8s;

import static io.meshcode.k8s.Rendered.all;
import static io.meshcode.k8s.Rendered.environment;
import static io.meshcode.k8s.Rendered.mountedSecret;
import static io.meshcode.k8s.Rendered.one;
import static io.meshcode.k8s.Rendered.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.KafkaSecurity;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.k8s.Rendered.SecretFile;
import io.meshcode.testkit.TestCertificates;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.KafkaAuthorizationSimple;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerAuthenticationScramSha512;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Kafka security in the manifests: the listener, a KafkaUser per service with the ACLs its code declares, and the services signed in")
class KafkaSecurityManifestsTest {

  private static final String BOOTSTRAP = "MESHCODE_KAFKA_BOOTSTRAP";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the services reach the one listener they are configured for, and the network policy lets them reach its port")
  void servicesUseTheirListener(String overlay) {
    Kafka kafka = only(overlay, Kafka.class);
    for (Deployment deployment : all(overlay, Deployment.class)) {
      Map<String, String> env = environment(overlay, deployment);
      GenericKafkaListener listener = listener(kafka, env.get(BOOTSTRAP));
      KafkaSecurity.Protocol protocol = KafkaSecurity.Protocol.valueOf(env.getOrDefault("MESHCODE_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"));
      String service = deployment.getMetadata().getName();
      assertThat(protocol.tls()).as(service + " uses TLS exactly when its listener does").isEqualTo(listener.isTls());
      if (listener.getAuth() == null) {
        assertThat(protocol.sasl()).as(service).isFalse();
      } else {
        assertThat(listener.getAuth()).isInstanceOf(KafkaListenerAuthenticationScramSha512.class);
        assertThat(protocol).as(service).isEqualTo(KafkaSecurity.Protocol.SASL_SSL);
        assertThat(env.getOrDefault("MESHCODE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")).isEqualTo("SCRAM-SHA-512");
      }
    }
    int port = listener(kafka, environment(overlay, one(overlay, Deployment.class, "bus")).get(BOOTSTRAP)).getPort();
    NetworkPolicy egress = one(overlay, NetworkPolicy.class, "meshcode-egress-dns-postgres-kafka");
    NetworkPolicyEgressRule toKafka = egress.getSpec().getEgress().stream()
        .filter(rule -> rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null
            && kafka.getMetadata().getName().equals(peer.getPodSelector().getMatchLabels().get("strimzi.io/cluster"))))
        .findFirst().orElseThrow();
    assertThat(toKafka.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(port);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("with an authenticating listener, the brokers authorize, no listener lets anyone in unauthenticated, and every service has its own KafkaUser; without one, there are none")
  void oneUserPerServiceWhenKafkaAuthenticates(String overlay) {
    Kafka kafka = only(overlay, Kafka.class);
    boolean authenticating = kafka.getSpec().getKafka().getListeners().stream().anyMatch(l -> l.getAuth() != null);
    Set<String> services = Rendered.names(overlay, Deployment.class);
    if (!authenticating) {
      assertThat(all(overlay, KafkaUser.class)).as("users without authentication sign in as nobody").isEmpty();
      assertThat(kafka.getSpec().getKafka().getAuthorization()).isNull();
      return;
    }
    assertThat(kafka.getSpec().getKafka().getListeners()).allSatisfy(listener -> {
      assertThat(listener.getAuth()).as(listener.getName() + " authenticates").isNotNull();
      assertThat(listener.isTls()).as(listener.getName() + ": SCRAM over TLS only").isTrue();
    });
    assertThat(kafka.getSpec().getKafka().getAuthorization()).isInstanceOf(KafkaAuthorizationSimple.class);
    Map<String, String> userOf = new HashMap<>();
    for (Deployment deployment : all(overlay, Deployment.class)) {
      userOf.put(deployment.getMetadata().getName(), environment(overlay, deployment).get("MESHCODE_KAFKA_USERNAME"));
    }
    assertThat(userOf.keySet()).containsExactlyInAnyOrderElementsOf(services);
    assertThat(Set.copyOf(userOf.values())).as("one user per service, none shared").hasSize(services.size()).doesNotContainNull();
    assertThat(Rendered.names(overlay, KafkaUser.class)).containsExactlyInAnyOrderElementsOf(userOf.values());
    for (KafkaUser user : all(overlay, KafkaUser.class)) {
      assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", kafka.getMetadata().getName());
      assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("each KafkaUser's ACLs are exactly those derived from its service's KafkaAccess: every topic it writes, reads or tails, and its groups")
  void aclsAreWhatTheCodeDeclares(String overlay) throws Exception {
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      String user = environment(overlay, deployment).get("MESHCODE_KAFKA_USERNAME");
      if (user == null) {
        continue;
      }
      KafkaAccess access = declared(service);
      assertThat(access.topics()).as(service + " declares what it does").isNotEmpty();
      Set<String> expected = access.aclBindings("User:" + user).stream()
          .map(acl -> acl.pattern().resourceType().name() + " " + acl.pattern().name() + " " + acl.pattern().patternType().name()
              + " " + acl.entry().host() + " " + acl.entry().permissionType().name() + " " + acl.entry().operation().name().replace("_", ""))
          .collect(Collectors.toCollection(TreeSet::new));
      assertThat(granted(one(overlay, KafkaUser.class, user))).as(service + "'s KafkaUser " + user).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("a signed-in service has its password only as a file from its user's Secret, the cluster CA as a file from Strimzi's CA Secret, and its settings parse")
  void credentialsAreMountedAndParse(String overlay, @TempDir Path dir) throws Exception {
    Kafka kafka = only(overlay, Kafka.class);
    Path ca = TestCertificates.authority(dir.resolve("ca"), "stand-in-cluster-ca").caPem();
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      Map<String, String> env = environment(overlay, deployment);
      String user = env.get("MESHCODE_KAFKA_USERNAME");
      if (user == null) {
        assertThat(env.keySet()).as(service).noneMatch(name -> name.startsWith("MESHCODE_KAFKA_") && !name.equals(BOOTSTRAP)
            && !name.equals("MESHCODE_KAFKA_PARTITIONS") && !name.equals("MESHCODE_KAFKA_REPLICATION"));
        assertThat(KafkaSettings.from(new EnvConfig(env)).security().protocol()).isEqualTo(KafkaSecurity.Protocol.PLAINTEXT);
        continue;
      }
      assertThat(env).as(service + " must not carry the password inline").doesNotContainKey("MESHCODE_KAFKA_PASSWORD");
      assertThat(mountedSecret(deployment, env.get("MESHCODE_KAFKA_PASSWORD_FILE")))
          .as(service + ": the Secret Strimzi makes for its KafkaUser").isEqualTo(new SecretFile(user, "password"));
      assertThat(mountedSecret(deployment, env.get("MESHCODE_KAFKA_TRUSTED_CA_FILE")))
          .as(service + ": the cluster CA Strimzi makes").isEqualTo(new SecretFile(kafka.getMetadata().getName() + "-cluster-ca-cert", "ca.crt"));

      // The variables as the service reads them, with stand-ins for the mounted files.
      Map<String, String> standIns = new HashMap<>(env);
      Path password = dir.resolve(service + "-password");
      Files.writeString(password, "generated-by-strimzi");
      standIns.put("MESHCODE_KAFKA_PASSWORD_FILE", password.toString());
      standIns.put("MESHCODE_KAFKA_TRUSTED_CA_FILE", ca.toString());
      KafkaSecurity security = KafkaSettings.from(new EnvConfig(standIns)).security();
      assertThat(security.protocol()).isEqualTo(KafkaSecurity.Protocol.SASL_SSL);
      assertThat(security.username()).contains(user);
      assertThat(security.clientProperties()).containsEntry("ssl.truststore.type", "PEM");
    }
  }

  @Test
  @DisplayName("the strict reader refuses a KafkaUser with a field Strimzi's model does not know")
  void strictKafkaUser() throws Exception {
    JsonNode user = StrictManifests.documents(Kustomize.build(Rendered.K8S.resolve("overlays/prod"))).stream()
        .filter(d -> d.path("kind").asText().equals("KafkaUser")).findFirst().orElseThrow();
    StrictManifests.parse(user);
    JsonNode misspelt = user.deepCopy();
    ((ObjectNode) misspelt.at("/spec/authorization")).set("acl", misspelt.at("/spec/authorization/acls"));
    assertThatThrownBy(() -> StrictManifests.parse(misspelt)).hasMessageContaining("Unrecognized field \"acl\"");
  }

  /** The listener {@code bootstrap} names: the cluster's bootstrap Service on one of its ports. */
  private static GenericKafkaListener listener(Kafka kafka, String bootstrap) {
    String prefix = kafka.getMetadata().getName() + "-kafka-bootstrap:";
    assertThat(bootstrap).startsWith(prefix);
    int port = Integer.parseInt(bootstrap.substring(prefix.length()));
    return kafka.getSpec().getKafka().getListeners().stream().filter(l -> l.getPort() == port).findFirst()
        .orElseThrow(() -> new AssertionError("no listener on port " + port + " of " + kafka.getMetadata().getName()));
  }

  /** What the service's code declares doing on Kafka: {@code KAFKA_ACCESS} of {@code io.meshcode.<service>.<Service>Verticle}. */
  private static KafkaAccess declared(String service) throws ReflectiveOperationException {
    String verticle = "io.meshcode." + service + "." + service.substring(0, 1).toUpperCase(Locale.ROOT) + service.substring(1) + "Verticle";
    return (KafkaAccess) Class.forName(verticle).getField("KAFKA_ACCESS").get(null);
  }

  /** A KafkaUser's ACL rules, one line per operation, in the words of Kafka's own AclBinding. */
  private static Set<String> granted(KafkaUser user) {
    assertThat(user.getSpec().getAuthorization()).isInstanceOf(KafkaUserAuthorizationSimple.class);
    Set<String> lines = new TreeSet<>();
    for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
      assertThat(rule.getOperation()).as("operations, not the single operation v1 no longer has").isNull();
      String type;
      String name;
      AclResourcePatternType pattern;
      if (rule.getResource() instanceof AclRuleTopicResource topic) {
        type = "TOPIC";
        name = topic.getName();
        pattern = topic.getPatternType();
      } else if (rule.getResource() instanceof AclRuleGroupResource group) {
        type = "GROUP";
        name = group.getName();
        pattern = group.getPatternType();
      } else {
        throw new AssertionError(user.getMetadata().getName() + " has an ACL on " + rule.getResource() + ": services need only topics and groups");
      }
      AclRuleType permission = rule.getType() == null ? AclRuleType.ALLOW : rule.getType();
      for (var operation : rule.getOperations()) {
        lines.add(type + " " + name + " " + (pattern == null ? AclResourcePatternType.LITERAL : pattern).name() + " " + rule.getHost() + " " + permission.name() + " "
            + operation.name());
      }
    }
    return lines;
  }
}
