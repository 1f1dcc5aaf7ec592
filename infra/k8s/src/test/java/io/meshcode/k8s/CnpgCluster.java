package io.meshcode.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import java.util.Map;

/**
 * CloudNativePG's {@code Cluster} (API {@code postgresql.cnpg.io/v1}), as of CloudNativePG 1.25:
 * a strict model of exactly the fields infra/k8s uses, checked by hand against the CRD of 1.25.0
 * and of 1.30.0 ({@code config/crd/bases/postgresql.cnpg.io_clusters.yaml}): the same names,
 * types and enumerations. There is no Java model of CloudNativePG on Maven Central; this one
 * refuses any other field (records take no unknown property; the strict reader turns
 * {@code FAIL_ON_UNKNOWN_PROPERTIES} on), a missing required one, and a value outside an
 * enumeration. To use a field it lacks, add it here as the CRD of the version named above
 * defines it.
 */
@Group("postgresql.cnpg.io")
@Version("v1")
@Kind("Cluster")
public class CnpgCluster extends CustomResource<CnpgCluster.Spec, Void> implements Namespaced {

  /** {@code ClusterSpec}. */
  public record Spec(
      @JsonProperty(required = true) int instances,
      String imageName,
      UpdateStrategy primaryUpdateStrategy,
      UpdateMethod primaryUpdateMethod,
      Boolean enableSuperuserAccess,
      Postgres postgresql,
      @JsonProperty(required = true) Storage storage,
      Storage walStorage,
      ResourceRequirements resources,
      Affinity affinity,
      Bootstrap bootstrap,
      Managed managed) {}

  public enum UpdateStrategy {
    @JsonProperty("unsupervised") UNSUPERVISED,
    @JsonProperty("supervised") SUPERVISED
  }

  public enum UpdateMethod {
    @JsonProperty("switchover") SWITCHOVER,
    @JsonProperty("restart") RESTART
  }

  /** {@code PostgresConfiguration}: only the server's parameters. */
  public record Postgres(Map<String, String> parameters) {}

  /** {@code StorageConfiguration}. */
  public record Storage(@JsonProperty(required = true) String size, String storageClass) {}

  /** {@code AffinityConfiguration}. */
  public record Affinity(Boolean enablePodAntiAffinity, String topologyKey, AntiAffinityType podAntiAffinityType) {}

  public enum AntiAffinityType {
    @JsonProperty("preferred") PREFERRED,
    @JsonProperty("required") REQUIRED
  }

  /** {@code BootstrapConfiguration}: a new cluster made by initdb. */
  public record Bootstrap(InitDb initdb) {}

  /** {@code BootstrapInitDB}: the application database, its owner, and SQL run in it as superuser once, when the cluster is made. */
  public record InitDb(String database, String owner, List<String> postInitApplicationSQL) {}

  /** {@code ManagedConfiguration}. */
  public record Managed(List<Role> roles) {}

  /** {@code RoleConfiguration}. */
  public record Role(
      @JsonProperty(required = true) String name,
      Ensure ensure,
      Boolean login,
      Integer connectionLimit,
      SecretName passwordSecret,
      String comment) {}

  public enum Ensure {
    @JsonProperty("present") PRESENT,
    @JsonProperty("absent") ABSENT
  }

  /** {@code LocalObjectReference}. */
  public record SecretName(@JsonProperty(required = true) String name) {}
}
