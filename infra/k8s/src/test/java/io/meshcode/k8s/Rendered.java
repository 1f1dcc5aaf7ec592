package io.meshcode.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The overlays and the Secret templates as kustomize renders them, read strictly into their
 * models once per test JVM, and what the manifests tests ask of them.
 */
final class Rendered {

  static final Path ROOT = Path.of("..", "..");
  static final Path K8S = Path.of("");
  static final List<String> OVERLAYS = List.of("dev", "prod");

  private static final Map<String, List<HasMetadata>> OVERLAY = new HashMap<>();
  private static List<HasMetadata> secretTemplates;
  private static String config;

  private Rendered() {}

  /** Every object of {@code overlay}, rendered on first use. */
  static synchronized List<HasMetadata> overlay(String overlay) {
    return OVERLAY.computeIfAbsent(overlay, name -> {
      try {
        return StrictManifests.parseAll(Kustomize.build(K8S.resolve("overlays").resolve(name)));
      } catch (Exception e) {
        throw new AssertionError("rendering overlay " + name + " failed", e);
      }
    });
  }

  static synchronized List<HasMetadata> secretTemplates() throws Exception {
    if (secretTemplates == null) {
      secretTemplates = StrictManifests.parseAll(Kustomize.build(K8S.resolve("secrets")));
    }
    return secretTemplates;
  }

  /** docs/CONFIG.md. */
  static synchronized String config() throws Exception {
    if (config == null) {
      config = Files.readString(ROOT.resolve("docs/CONFIG.md"));
    }
    return config;
  }

  /** The default docs/CONFIG.md gives {@code variable} (a number). */
  static int documentedDefault(String variable) throws Exception {
    Matcher row = Pattern.compile("\\| `" + variable + "` \\| `(\\d+)` \\|").matcher(config());
    assertThat(row.find()).as("docs/CONFIG.md documents the default of " + variable).isTrue();
    return Integer.parseInt(row.group(1));
  }

  static <T extends HasMetadata> List<T> all(String overlay, Class<T> type) {
    return overlay(overlay).stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(String overlay, Class<T> type, String name) {
    return all(overlay, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + overlay));
  }

  /** The only object of {@code type} in {@code overlay}. */
  static <T extends HasMetadata> T only(String overlay, Class<T> type) {
    List<T> objects = all(overlay, type);
    assertThat(objects).as("one " + type.getSimpleName() + " in " + overlay).hasSize(1);
    return objects.get(0);
  }

  static Set<String> names(String overlay, Class<? extends HasMetadata> type) {
    return all(overlay, type).stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
  }

  /** The variables a container gets: its ConfigMaps (in order) and then its own env. */
  static Map<String, String> environment(String overlay, Deployment deployment) {
    Map<String, String> env = new HashMap<>();
    Container container = container(deployment);
    for (EnvFromSource source : container.getEnvFrom()) {
      assertThat(source.getConfigMapRef()).as("configuration comes from ConfigMaps").isNotNull();
      env.putAll(one(overlay, ConfigMap.class, source.getConfigMapRef().getName()).getData());
    }
    if (container.getEnv() != null) {
      container.getEnv().forEach(var -> env.put(var.getName(), var.getValue()));
    }
    return env;
  }

  static Container container(Deployment deployment) {
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  /** A key of a Secret, mounted as a file. */
  record SecretFile(String secret, String key) {}

  /** Where {@code file} comes from: a read-only mount of a Secret volume, as one of its items. */
  static SecretFile mountedSecret(Deployment deployment, String file) {
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Path path = Path.of(file);
    VolumeMount mount = container(deployment).getVolumeMounts().stream()
        .filter(m -> path.getParent().equals(Path.of(m.getMountPath())))
        .findFirst().orElseThrow(() -> new AssertionError(file + " is in no mount of " + deployment.getMetadata().getName()));
    assertThat(mount.getReadOnly()).as(file).isTrue();
    Volume volume = volume(pod, mount.getName());
    assertThat(volume.getSecret()).as(file + " comes from a Secret").isNotNull();
    String name = path.getFileName().toString();
    String key = volume.getSecret().getItems().stream().filter(item -> item.getPath().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(file + " is not an item of " + volume.getSecret().getSecretName())).getKey();
    return new SecretFile(volume.getSecret().getSecretName(), key);
  }

  /** The template of a Secret the operator creates by hand (infra/k8s/secrets). */
  static Secret template(String name) throws Exception {
    return secretTemplates().stream().filter(s -> s.getMetadata().getName().equals(name))
        .map(Secret.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no template for Secret " + name));
  }
}
