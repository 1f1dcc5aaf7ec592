package io.meshcode.k8s;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into the fabric8 Kubernetes model, refusing any field the model does
 * not know. The model classes keep unknown fields in {@code additionalProperties} (an any-setter)
 * and so pass {@code FAIL_ON_UNKNOWN_PROPERTIES}; the introspector here hides that any-setter, so
 * an unknown field fails as it would against the API server's schema.
 */
final class StrictManifests {

  /** Every kind the manifests may hold, by {@code apiVersion/kind}; anything else is refused. */
  static final List<Class<? extends HasMetadata>> MODELS = List.of(
      ConfigMap.class, Secret.class, Service.class, Deployment.class, HorizontalPodAutoscaler.class,
      Ingress.class, NetworkPolicy.class, PodDisruptionBudget.class,
      Kafka.class, KafkaNodePool.class, KafkaTopic.class, KafkaUser.class, CnpgCluster.class);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
        @Override
        public Boolean hasAnySetter(Annotated annotated) {
          return Boolean.FALSE;
        }

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
          return JsonIgnoreProperties.Value.empty();
        }
      });

  private StrictManifests() {}

  /** The documents of a multi-document YAML stream, as trees. */
  static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
      while (values.hasNextValue()) {
        JsonNode document = values.nextValue();
        if (document != null && !document.isNull() && !document.isEmpty()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  /** One document as its model object; fails on an unknown kind, apiVersion or field. */
  static HasMetadata parse(JsonNode document) throws IOException {
    String apiVersion = document.path("apiVersion").asText();
    String kind = document.path("kind").asText();
    Class<? extends HasMetadata> model = MODELS.stream()
        .filter(type -> apiVersions(type).contains(apiVersion) && HasMetadata.getKind(type).equals(kind))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no model for " + apiVersion + " " + kind));
    HasMetadata object = STRICT.treeToValue(document, model);
    if (object.getMetadata() == null || object.getMetadata().getName() == null) {
      throw new IllegalArgumentException(kind + " without metadata.name");
    }
    return object;
  }

  /**
   * The apiVersions a model class reads: its own, and for a Strimzi resource every version its API
   * serves ({@code RESOURCE_GROUP} with each of {@code VERSIONS}).
   */
  static List<String> apiVersions(Class<? extends HasMetadata> type) {
    List<String> versions = new ArrayList<>(List.of(HasMetadata.getApiVersion(type)));
    try {
      String group = (String) type.getField("RESOURCE_GROUP").get(null);
      for (Object version : (List<?>) type.getField("VERSIONS").get(null)) {
        versions.add(group + "/" + version);
      }
    } catch (NoSuchFieldException e) {
      // A Kubernetes model class: one apiVersion.
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return versions;
  }

  static List<HasMetadata> parseAll(String yaml) throws IOException {
    List<HasMetadata> objects = new ArrayList<>();
    for (JsonNode document : documents(yaml)) {
      objects.add(parse(document));
    }
    return objects;
  }

  static Map<String, Object> tree(JsonNode document) {
    return YAML.convertValue(document, Map.class);
  }
}
