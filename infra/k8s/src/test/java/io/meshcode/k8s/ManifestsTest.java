package io.meshcode.k8s;

import static io.meshcode.k8s.Rendered.all;
import static io.meshcode.k8s.Rendered.container;
import static io.meshcode.k8s.Rendered.environment;
import static io.meshcode.k8s.Rendered.mountedSecret;
import static io.meshcode.k8s.Rendered.names;
import static io.meshcode.k8s.Rendered.one;
import static io.meshcode.k8s.Rendered.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.meshcode.core.kafka.Topics;
import io.meshcode.logging.LogSettings;
import io.meshcode.k8s.Rendered.SecretFile;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The Kubernetes manifests")
class ManifestsTest {

  private static final Path ROOT = Rendered.ROOT;
  private static final Path K8S = Rendered.K8S;

  /**
   * What each service needs set on a cluster, because the defaults in its Settings
   * (libs/core ServiceSettings, DatabaseSettings, KafkaSettings; GatewaySettings) point at
   * loopback or are required without a default.
   */
  private static final List<String> EVERY_SERVICE_NEEDS = List.of(
      "MESHCODE_HTTP_PORT", "MESHCODE_DB_HOST", "MESHCODE_DB_PORT", "MESHCODE_DB_NAME", "MESHCODE_DB_USER",
      "MESHCODE_DB_PASSWORD", "MESHCODE_KAFKA_BOOTSTRAP", "MESHCODE_KAFKA_REPLICATION", "MESHCODE_INTERNAL_PUBLIC_KEY");
  private static final List<String> GATEWAY_NEEDS = List.of(
      "MESHCODE_INTERNAL_PRIVATE_KEY", "MESHCODE_BUS_URL", "MESHCODE_MEMORY_URL", "MESHCODE_TASKS_URL",
      "MESHCODE_INVITES_URL", "MESHCODE_PUBLIC_URL", "MESHCODE_BOOTSTRAP_KEY", "MESHCODE_METRICS_TOKEN");
  private static final List<String> SECRETS = List.of(
      "MESHCODE_DB_PASSWORD", "MESHCODE_INTERNAL_PUBLIC_KEY", "MESHCODE_INTERNAL_PRIVATE_KEY",
      "MESHCODE_BOOTSTRAP_KEY", "MESHCODE_METRICS_TOKEN");

  @BeforeAll
  static void render() {
    Rendered.OVERLAYS.forEach(Rendered::overlay);
  }

  @Test
  @DisplayName("the strict reader refuses a field the Kubernetes model does not know, and a kind it has no model for")
  void strictReaderRefusesUnknownFields() throws Exception {
    List<JsonNode> documents = StrictManifests.documents(Kustomize.build(K8S.resolve("overlays/dev")));
    JsonNode deployment = documents.stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
    StrictManifests.parse(deployment);

    JsonNode bogus = deployment.deepCopy();
    ((ObjectNode) bogus.at("/spec/template/spec/containers/0")).put("bogusField", 1);
    assertThatThrownBy(() -> StrictManifests.parse(bogus)).hasMessageContaining("Unrecognized field \"bogusField\"");

    JsonNode misspelt = deployment.deepCopy();
    ((ObjectNode) misspelt.at("/spec/template/spec")).set("terminationGracePeriod", misspelt.at("/spec/template/spec/terminationGracePeriodSeconds"));
    assertThatThrownBy(() -> StrictManifests.parse(misspelt)).hasMessageContaining("terminationGracePeriod");

    JsonNode oldApi = deployment.deepCopy();
    ((ObjectNode) oldApi).put("apiVersion", "extensions/v1beta1");
    assertThatThrownBy(() -> StrictManifests.parse(oldApi)).hasMessageContaining("no model for extensions/v1beta1 Deployment");

    JsonNode topic = documents.stream().filter(d -> d.path("kind").asText().equals("KafkaTopic")).findFirst().orElseThrow();
    StrictManifests.parse(topic);
    JsonNode misspeltTopic = topic.deepCopy();
    ((ObjectNode) misspeltTopic.at("/spec")).put("replication", 3);
    assertThatThrownBy(() -> StrictManifests.parse(misspeltTopic)).hasMessageContaining("Unrecognized field \"replication\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every topic in Topics has a KafkaTopic with the partitions and replication the services would create it with, on a KRaft cluster large enough")
  void everyTopicHasAKafkaTopic(String overlay) {
    Map<String, String> common = environment(overlay, one(overlay, Deployment.class, "bus"));
    int partitions = Integer.parseInt(common.get("MESHCODE_KAFKA_PARTITIONS"));
    int replication = Integer.parseInt(common.get("MESHCODE_KAFKA_REPLICATION"));
    for (Deployment deployment : all(overlay, Deployment.class)) {
      Map<String, String> env = environment(overlay, deployment);
      assertThat(env.get("MESHCODE_KAFKA_PARTITIONS")).as("every service creates topics alike").isEqualTo(Integer.toString(partitions));
      assertThat(env.get("MESHCODE_KAFKA_REPLICATION")).isEqualTo(Integer.toString(replication));
    }
    Kafka kafka = all(overlay, Kafka.class).stream().collect(Collectors.collectingAndThen(Collectors.toList(), list -> {
      assertThat(list).hasSize(1);
      return list.get(0);
    }));
    String cluster = kafka.getMetadata().getName();
    // Which listener, and how the services sign in to it: KafkaSecurityManifestsTest.
    assertThat(common.get("MESHCODE_KAFKA_BOOTSTRAP")).startsWith(cluster + "-kafka-bootstrap:");
    List<KafkaNodePool> pools = all(overlay, KafkaNodePool.class);
    assertThat(pools).allSatisfy(pool -> assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster));
    assertThat(pools).anySatisfy(pool -> assertThat(pool.getSpec().getRoles()).contains(ProcessRoles.CONTROLLER));
    int brokers = pools.stream().filter(pool -> pool.getSpec().getRoles().contains(ProcessRoles.BROKER))
        .mapToInt(pool -> pool.getSpec().getReplicas()).sum();
    assertThat(brokers).as("brokers for replication " + replication).isGreaterThanOrEqualTo(replication);
    if (overlay.equals("prod")) {
      assertThat(brokers).isEqualTo(3);
    }
    Map<String, KafkaTopic> topics = all(overlay, KafkaTopic.class).stream()
        .collect(Collectors.toMap(t -> t.getSpec().getTopicName(), t -> t));
    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    topics.values().forEach(topic -> {
      assertThat(topic.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
      assertThat(topic.getSpec().getPartitions()).as(topic.getSpec().getTopicName()).isEqualTo(partitions);
      assertThat(topic.getSpec().getReplicas()).as(topic.getSpec().getTopicName()).isEqualTo(replication);
      assertThat(Integer.parseInt(topic.getSpec().getConfig().get("min.insync.replicas").toString())).isLessThanOrEqualTo(replication);
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("each overlay holds a Deployment, Service and PodDisruptionBudget for exactly the service modules, images named after them")
  void oneDeploymentPerServiceModule(String overlay) throws Exception {
    Set<String> modules;
    try (Stream<Path> dirs = Files.list(ROOT.resolve("services"))) {
      modules = dirs.filter(dir -> Files.exists(dir.resolve("pom.xml"))).map(dir -> dir.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertThat(modules).contains("gateway", "bus", "memory", "tasks", "invites");
    assertThat(names(overlay, Deployment.class)).containsExactlyInAnyOrderElementsOf(modules);
    assertThat(names(overlay, Service.class)).containsExactlyInAnyOrderElementsOf(modules);
    assertThat(names(overlay, PodDisruptionBudget.class)).containsExactlyInAnyOrderElementsOf(modules);
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      assertThat(container(deployment).getImage()).as(service)
          .isEqualTo("meshcode/" + service + ":" + System.getProperty("meshcode.version"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("probes ask the service's own port for /health and /readiness, paths ServiceVerticle serves")
  void probesUseServedPaths(String overlay) throws Exception {
    Set<String> served = new TreeSet<>();
    Matcher route = Pattern.compile("router\\.get\\(\"(/[a-z]+)\"\\)").matcher(
        Files.readString(ROOT.resolve("libs/core/src/main/java/io/meshcode/core/service/ServiceVerticle.java")));
    while (route.find()) {
      served.add(route.group(1));
    }
    assertThat(served).contains("/health", "/readiness");
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      Container container = container(deployment);
      int port = defaultPort(service);
      assertThat(container.getPorts()).as(service).singleElement()
          .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(port))
          .satisfies(p -> assertThat(p.getName()).isEqualTo("http"));
      assertThat(environment(overlay, deployment)).as(service).containsEntry("MESHCODE_HTTP_PORT", Integer.toString(port));
      for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
        assertThat(probe).as(service).isNotNull();
        assertThat(served).as(service).contains(probe.getHttpGet().getPath());
        assertThat(probe.getHttpGet().getPort().getStrVal()).as(service).isEqualTo("http");
      }
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readiness");
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
      Service svc = one(overlay, Service.class, service);
      assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(port));
      assertThat(svc.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every variable a service needs is set, secrets only as _FILE paths on mounted Secret keys that the templates hold")
  void everyRequiredVariableIsProvided(String overlay) throws Exception {
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      Map<String, String> env = environment(overlay, deployment);
      List<String> needed = service.equals("gateway")
          ? Stream.concat(EVERY_SERVICE_NEEDS.stream(), GATEWAY_NEEDS.stream()).toList()
          : EVERY_SERVICE_NEEDS;
      for (String name : needed) {
        if (SECRETS.contains(name)) {
          assertThat(env).as(service + " must not carry " + name + " inline").doesNotContainKey(name);
          assertThat(env).as(service).containsKey(name + "_FILE");
          assertMountedSecretKey(deployment, env.get(name + "_FILE"));
        } else {
          assertThat(env.get(name)).as(service + " " + name).isNotBlank().doesNotContain("127.0.0.1").doesNotContain("localhost");
        }
      }
      if (!service.equals("gateway")) {
        assertThat(env).as(service + " never holds the signing key").doesNotContainKey("MESHCODE_INTERNAL_PRIVATE_KEY_FILE");
      }
      assertThat(env.get("MESHCODE_DB_USER")).as("one role per service").isEqualTo(service);
    }
    Map<String, String> gateway = environment(overlay, one(overlay, Deployment.class, "gateway"));
    for (String upstream : List.of("bus", "memory", "tasks", "invites")) {
      assertThat(gateway.get("MESHCODE_" + upstream.toUpperCase() + "_URL"))
          .isEqualTo("http://" + upstream + ":" + one(overlay, Service.class, upstream).getSpec().getPorts().get(0).getPort());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every service logs JSON lines, with logging settings the services accept")
  void servicesLogJson(String overlay) {
    for (Deployment deployment : all(overlay, Deployment.class)) {
      LogSettings logging = LogSettings.from(environment(overlay, deployment));
      assertThat(logging.json()).as(deployment.getMetadata().getName()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("a stopping pod gets longer than the longest wait plus the shutdown grace, and the ingress outwaits the longest wait")
  void timeoutsOutlastTheLongestWait(String overlay) throws Exception {
    Map<String, String> gatewayEnv = environment(overlay, one(overlay, Deployment.class, "gateway"));
    int waitMax = Math.max(documentedDefault("MESHCODE_WAIT_MAX_SECONDS"),
        Integer.parseInt(gatewayEnv.getOrDefault("MESHCODE_WAIT_MAX_SECONDS", "0")));
    for (Deployment deployment : all(overlay, Deployment.class)) {
      Map<String, String> env = environment(overlay, deployment);
      int grace = Integer.parseInt(env.getOrDefault("MESHCODE_SHUTDOWN_GRACE_SECONDS",
          Integer.toString(documentedDefault("MESHCODE_SHUTDOWN_GRACE_SECONDS"))));
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .as(deployment.getMetadata().getName()).isGreaterThan((long) waitMax + grace);
    }
    List<Ingress> ingresses = all(overlay, Ingress.class);
    assertThat(ingresses).as("only the gateway is exposed").singleElement().satisfies(ingress -> {
      assertThat(ingress.getSpec().getRules()).allSatisfy(rule -> assertThat(rule.getHttp().getPaths())
          .allSatisfy(path -> assertThat(path.getBackend().getService().getName()).isEqualTo("gateway")));
      Map<String, String> annotations = ingress.getMetadata().getAnnotations();
      for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
        assertThat(Integer.parseInt(annotations.get("nginx.ingress.kubernetes.io/" + timeout))).as(timeout).isGreaterThan(waitMax);
      }
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every container runs as user 10001 without privileges on a read-only root with a writable /tmp, and with limits")
  void containersAreLockedDown(String overlay) {
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      Container container = container(deployment);
      var security = container.getSecurityContext();
      assertThat(security.getRunAsNonRoot()).as(service).isTrue();
      assertThat(security.getRunAsUser()).as(service).isEqualTo(10001L);
      assertThat(security.getAllowPrivilegeEscalation()).as(service).isFalse();
      assertThat(security.getReadOnlyRootFilesystem()).as(service).isTrue();
      assertThat(security.getCapabilities().getDrop()).as(service).containsExactly("ALL");
      assertThat(security.getCapabilities().getAdd()).as(service).isNullOrEmpty();
      assertThat(container.getVolumeMounts()).as(service).anySatisfy(mount -> {
        assertThat(mount.getMountPath()).isEqualTo("/tmp");
        assertThat(volume(pod, mount.getName()).getEmptyDir()).isNotNull();
      });
      assertThat(container.getResources().getRequests()).as(service).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).as(service).containsKeys("cpu", "memory");
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).as(service)
          .containsEntry("app.kubernetes.io/part-of", "meshcode");
    }
  }

  @Test
  @DisplayName("dev runs one replica of each service, prod at least two, and both autoscale the gateway and the bus")
  void replicasPerOverlay() {
    assertThat(all("dev", Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
    assertThat(all("prod", Deployment.class)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isGreaterThanOrEqualTo(2));
    assertThat(all("prod", HorizontalPodAutoscaler.class)).allSatisfy(h -> assertThat(h.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2));
    for (String overlay : List.of("dev", "prod")) {
      assertThat(all(overlay, HorizontalPodAutoscaler.class))
          .extracting(h -> h.getSpec().getScaleTargetRef().getName()).containsExactlyInAnyOrder("gateway", "bus");
      assertThat(all(overlay, PodDisruptionBudget.class)).allSatisfy(p -> assertThat(p.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("network policies deny by default, let only the ingress controller reach the gateway, and only the gateway reach the others")
  void networkPolicies(String overlay) {
    List<NetworkPolicy> policies = all(overlay, NetworkPolicy.class);
    assertThat(policies).anySatisfy(p -> {
      assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/part-of", "meshcode");
      assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
      assertThat(p.getSpec().getIngress()).isNullOrEmpty();
      assertThat(p.getSpec().getEgress()).isNullOrEmpty();
    });
    for (NetworkPolicy policy : policies) {
      if (policy.getSpec().getIngress() == null || policy.getSpec().getIngress().isEmpty()) {
        continue;
      }
      String target = policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name");
      assertThat(target).as(policy.getMetadata().getName() + " selects one service").isNotNull();
      policy.getSpec().getIngress().forEach(rule -> assertThat(rule.getFrom()).as(policy.getMetadata().getName()).isNotEmpty()
          .allSatisfy(peer -> {
            if (target.equals("gateway")) {
              assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "ingress-nginx");
            } else {
              assertThat(peer.getNamespaceSelector()).isNull();
              assertThat(peer.getIpBlock()).isNull();
              assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(Map.of("app.kubernetes.io/name", "gateway"));
            }
          }));
    }
    Set<String> reachable = policies.stream().filter(p -> p.getSpec().getIngress() != null && !p.getSpec().getIngress().isEmpty())
        .map(p -> p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name")).collect(Collectors.toSet());
    assertThat(reachable).containsExactlyInAnyOrderElementsOf(names(overlay, Deployment.class));
  }

  @Test
  @DisplayName("the Secret templates hold only fake values")
  void secretTemplatesAreFake() throws Exception {
    assertThat(Rendered.secretTemplates()).isNotEmpty().allSatisfy(object -> {
      Secret secret = (Secret) object;
      assertThat(secret.getData()).isNullOrEmpty();
      secret.getStringData().forEach((key, value) -> {
        if (!key.equals("username")) {
          assertThat(value).as(secret.getMetadata().getName() + " " + key).startsWith("FAKE-PLACEHOLDER");
        }
      });
    });
    Rendered.OVERLAYS.forEach(overlay -> assertThat(Rendered.overlay(overlay)).noneMatch(o -> o instanceof Secret));
  }

  /** {@code file} lies in a read-only mount of a Secret volume, as one of its items, whose key the template has. */
  private static void assertMountedSecretKey(Deployment deployment, String file) throws Exception {
    SecretFile mounted = mountedSecret(deployment, file);
    Secret template = Rendered.template(mounted.secret());
    assertThat(template.getStringData()).as(template.getMetadata().getName()).containsKey(mounted.key());
  }

  private int defaultPort(String service) throws Exception {
    Matcher ports = Pattern.compile("\\b" + service + " (\\d{4,5})\\b").matcher(Rendered.config());
    assertThat(ports.find()).as("docs/CONFIG.md names the default port of " + service).isTrue();
    return Integer.parseInt(ports.group(1));
  }

  private static int documentedDefault(String variable) throws Exception {
    return Rendered.documentedDefault(variable);
  }
}
