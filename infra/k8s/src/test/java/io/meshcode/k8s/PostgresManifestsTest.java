package io.meshcode.k8s;

import static io.meshcode.k8s.Rendered.all;
import static io.meshcode.k8s.Rendered.environment;
import static io.meshcode.k8s.Rendered.mountedSecret;
import static io.meshcode.k8s.Rendered.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.meshcode.k8s.Rendered.SecretFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PostgreSQL in the manifests: the CloudNativePG cluster, a role per service owning its schema, and room for every connection")
class PostgresManifestsTest {

  /** What a replica holds at most: its pool, and Flyway's connections while it migrates at start. */
  private static final int MIGRATION_CONNECTIONS = 2;
  /** Connections left to the superuser and the operator (superuser_reserved_connections, replication, probes). */
  private static final int RESERVED_CONNECTIONS = 20;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the services reach the cluster's primary and its database; prod runs three instances on separate nodes where it can")
  void servicesReachTheCluster(String overlay) {
    CnpgCluster cluster = only(overlay, CnpgCluster.class);
    CnpgCluster.Spec spec = cluster.getSpec();
    for (Deployment deployment : all(overlay, Deployment.class)) {
      Map<String, String> env = environment(overlay, deployment);
      assertThat(env.get("MESHCODE_DB_HOST")).as(deployment.getMetadata().getName()).isEqualTo(cluster.getMetadata().getName() + "-rw");
      assertThat(env.get("MESHCODE_DB_PORT")).isEqualTo("5432");
      assertThat(env.get("MESHCODE_DB_NAME")).isEqualTo(spec.bootstrap().initdb().database());
    }
    assertThat(spec.instances()).isGreaterThanOrEqualTo(1);
    if (overlay.equals("prod")) {
      assertThat(spec.instances()).isEqualTo(3);
      assertThat(spec.affinity().enablePodAntiAffinity()).isTrue();
    }
    assertThat(spec.enableSuperuserAccess()).as("no superuser password Secret to leak").isFalse();
    assertThat(spec.storage().size()).isNotBlank();
    assertThat(spec.resources().getRequests()).containsKeys("cpu", "memory");
    assertThat(spec.resources().getLimits()).containsKeys("cpu", "memory");
    NetworkPolicy egress = Rendered.one(overlay, NetworkPolicy.class, "meshcode-egress-dns-postgres-kafka");
    assertThat(egress.getSpec().getEgress()).anySatisfy(rule -> {
      assertThat(rule.getTo()).anySatisfy(peer -> assertThat(peer.getPodSelector().getMatchLabels())
          .containsEntry("cnpg.io/cluster", cluster.getMetadata().getName()));
      assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(5432);
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("each service's database user is a managed login role whose password Secret is the one the service mounts, and nothing more")
  void aRolePerService(String overlay) throws Exception {
    CnpgCluster.Spec spec = only(overlay, CnpgCluster.class).getSpec();
    Map<String, CnpgCluster.Role> roles = spec.managed().roles().stream().collect(Collectors.toMap(CnpgCluster.Role::name, r -> r));
    List<String> users = new ArrayList<>();
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      Map<String, String> env = environment(overlay, deployment);
      String user = env.get("MESHCODE_DB_USER");
      users.add(user);
      CnpgCluster.Role role = roles.get(user);
      assertThat(role).as("a managed role for " + service).isNotNull();
      assertThat(role.ensure()).isIn(null, CnpgCluster.Ensure.PRESENT);
      assertThat(role.login()).isTrue();
      SecretFile password = mountedSecret(deployment, env.get("MESHCODE_DB_PASSWORD_FILE"));
      assertThat(password).isEqualTo(new SecretFile(role.passwordSecret().name(), "password"));
      // CloudNativePG reads a role's password from a basic-auth Secret whose username is the role.
      Secret template = Rendered.template(role.passwordSecret().name());
      assertThat(template.getType()).isEqualTo("kubernetes.io/basic-auth");
      assertThat(template.getStringData()).containsEntry("username", user);
    }
    assertThat(roles.keySet()).as("no role without a service").containsExactlyInAnyOrderElementsOf(users);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("the bootstrap SQL makes each role with its own schema and the right to connect, takes PUBLIC's away, and grants nothing else")
  void eachRoleOwnsItsSchema(String overlay) {
    CnpgCluster.Spec spec = only(overlay, CnpgCluster.class).getSpec();
    String database = spec.bootstrap().initdb().database();
    List<String> expected = new ArrayList<>(List.of(
        "REVOKE ALL ON DATABASE " + database + " FROM PUBLIC", "REVOKE ALL ON SCHEMA public FROM PUBLIC"));
    for (Deployment deployment : all(overlay, Deployment.class)) {
      // A service's schema is named after it (ServiceVerticle.schema()); DatabaseRolesTest migrates each in it.
      String schema = deployment.getMetadata().getName();
      String role = environment(overlay, deployment).get("MESHCODE_DB_USER");
      expected.addAll(List.of("CREATE ROLE " + role + " NOLOGIN", "CREATE SCHEMA " + schema + " AUTHORIZATION " + role,
          "GRANT CONNECT ON DATABASE " + database + " TO " + role));
    }
    assertThat(spec.bootstrap().initdb().postInitApplicationSQL()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(spec.bootstrap().initdb().owner()).as("the database's owner is no service's role")
        .isNotIn(all(overlay, Deployment.class).stream().map(d -> environment(overlay, d).get("MESHCODE_DB_USER")).toList());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("every role's connection limit holds its replicas at the autoscaler's maximum plus a rolling update's surge, and max_connections holds them all")
  void roomForEveryConnection(String overlay) throws Exception {
    CnpgCluster.Spec spec = only(overlay, CnpgCluster.class).getSpec();
    int limits = 0;
    for (Deployment deployment : all(overlay, Deployment.class)) {
      String service = deployment.getMetadata().getName();
      Map<String, String> env = environment(overlay, deployment);
      int pool = Integer.parseInt(env.getOrDefault("MESHCODE_DB_POOL_SIZE", Integer.toString(Rendered.documentedDefault("MESHCODE_DB_POOL_SIZE"))));
      int replicas = all(overlay, HorizontalPodAutoscaler.class).stream()
          .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(service))
          .mapToInt(h -> h.getSpec().getMaxReplicas()).findFirst().orElse(deployment.getSpec().getReplicas());
      int surge = deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal();
      int needed = (replicas + surge) * (pool + MIGRATION_CONNECTIONS);
      CnpgCluster.Role role = spec.managed().roles().stream().filter(r -> r.name().equals(env.get("MESHCODE_DB_USER"))).findFirst().orElseThrow();
      assertThat(role.connectionLimit()).as(service + ": " + (replicas + surge) + " replicas of " + pool + " + " + MIGRATION_CONNECTIONS)
          .isGreaterThanOrEqualTo(needed);
      limits += role.connectionLimit();
    }
    assertThat(Integer.parseInt(spec.postgresql().parameters().get("max_connections")))
        .as("max_connections for every role's limit and " + RESERVED_CONNECTIONS + " reserved").isGreaterThanOrEqualTo(limits + RESERVED_CONNECTIONS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dev", "prod"})
  @DisplayName("no operator's resource carries the label the default-deny policy selects (the operators copy it onto their pods)")
  void operatorsPodsStayOutOfTheDefaultDeny(String overlay) {
    String label = "app.kubernetes.io/part-of";
    for (HasMetadata object : Rendered.overlay(overlay)) {
      if (object.getApiVersion().startsWith("kafka.strimzi.io/") || object.getApiVersion().startsWith("postgresql.cnpg.io/")) {
        Map<String, String> labels = object.getMetadata().getLabels();
        assertThat(labels == null ? Map.of() : labels).as(object.getKind() + " " + object.getMetadata().getName()).doesNotContainKey(label);
      }
    }
  }

  @Test
  @DisplayName("the strict model refuses a misspelt field, a value outside an enumeration and a missing required field")
  void strictCluster() throws Exception {
    JsonNode cluster = StrictManifests.documents(Kustomize.build(Rendered.K8S.resolve("overlays/prod"))).stream()
        .filter(d -> d.path("kind").asText().equals("Cluster")).findFirst().orElseThrow();
    assertThat(StrictManifests.parse(cluster)).isInstanceOf(CnpgCluster.class);

    JsonNode misspelt = cluster.deepCopy();
    ((ObjectNode) misspelt.at("/spec")).set("instance", misspelt.at("/spec/instances"));
    assertThatThrownBy(() -> StrictManifests.parse(misspelt)).hasMessageContaining("Unrecognized field \"instance\"");

    JsonNode nested = cluster.deepCopy();
    ((ObjectNode) nested.at("/spec/managed/roles/0")).put("passwordSecrets", "x");
    assertThatThrownBy(() -> StrictManifests.parse(nested)).hasMessageContaining("Unrecognized field \"passwordSecrets\"");

    JsonNode badEnum = cluster.deepCopy();
    ((ObjectNode) badEnum.at("/spec/managed/roles/0")).put("ensure", "presnt");
    assertThatThrownBy(() -> StrictManifests.parse(badEnum)).hasMessageContaining("presnt");

    JsonNode missing = cluster.deepCopy();
    ((ObjectNode) missing.at("/spec")).remove("instances");
    assertThatThrownBy(() -> StrictManifests.parse(missing)).hasMessageContaining("instances");

    JsonNode wrongApi = cluster.deepCopy();
    ((ObjectNode) wrongApi).put("apiVersion", "postgresql.cnpg.io/v2");
    assertThatThrownBy(() -> StrictManifests.parse(wrongApi)).hasMessageContaining("no model for postgresql.cnpg.io/v2 Cluster");
    assertThat(Set.of(StrictManifests.apiVersions(CnpgCluster.class).toArray())).containsExactly("postgresql.cnpg.io/v1");
  }
}
