package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Finding a request's operation by its path")
class OperationIndexTest {

  private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");

  private static Vertx vertx;
  private static OperationIndex index;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    index = OperationIndex.of(contract("/v1/things/{thing}", "/v1/things/{thing}/parts/{part}", "/v1/things/mine"));
  }

  @AfterAll
  static void close() {
    TestServices.await(vertx.close());
  }

  /** A document with a GET on each path, named after the path. */
  private static OpenAPIContract contract(String... paths) {
    JsonObject pathItems = new JsonObject();
    for (String path : paths) {
      JsonArray parameters = new JsonArray();
      Matcher names = PARAMETER.matcher(path);
      while (names.find()) {
        parameters.add(new JsonObject().put("name", names.group(1)).put("in", "path").put("required", true)
            .put("schema", new JsonObject().put("type", "string")));
      }
      pathItems.put(path, new JsonObject().put("get", new JsonObject()
          .put("operationId", "get" + path.replaceAll("[^a-z]", ""))
          .put("parameters", parameters)
          .put("responses", new JsonObject().put("200", new JsonObject().put("description", "ok")))));
    }
    return TestServices.await(OpenAPIContract.from(vertx, new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", new JsonObject().put("title", "test").put("version", "1"))
        .put("paths", pathItems)));
  }

  @Test
  @DisplayName("a parameter takes one whole segment, decoded; the path's other methods are not there")
  void parameters() {
    OperationIndex.Found found = index.find("/v1/things/a%20b/parts/c+d");
    assertThat(found.path().template()).isEqualTo("/v1/things/{thing}/parts/{part}");
    assertThat(found.parameters()).isEqualTo(Map.of("thing", "a b", "part", "c+d"));
    assertThat(found.path().operation(HttpMethod.GET).getOperationId()).isEqualTo("getvthingsthingpartspart");
    assertThat(found.path().operation(HttpMethod.PUT)).isNull();
  }

  @Test
  @DisplayName("a fixed segment wins over a parameter")
  void fixedFirst() {
    assertThat(index.find("/v1/things/mine").path().template()).isEqualTo("/v1/things/mine");
    assertThat(index.find("/v1/things/yours").path().template()).isEqualTo("/v1/things/{thing}");
  }

  @Test
  @DisplayName("no path: other fixed segments, an empty or missing segment, one too many")
  void noPath() {
    assertThat(index.find("/v1/stuff/a")).isNull();
    assertThat(index.find("/v1/things/")).isNull();
    assertThat(index.find("/v1/things")).isNull();
    assertThat(index.find("/v1/things/a/parts/b/c")).isNull();
    assertThat(index.find("/v1/things/a/bits/b")).isNull();
  }

  @Test
  @DisplayName("bad percent-encoding in a parameter is refused")
  void badEncoding() {
    assertThatThrownBy(() -> index.find("/v1/things/%zz")).isInstanceOf(IllegalArgumentException.class);
  }
}
