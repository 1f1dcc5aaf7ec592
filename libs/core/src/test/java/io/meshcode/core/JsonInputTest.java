package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.LogSafe;
import io.meshcode.core.ids.Names;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reading request bodies and names")
class JsonInputTest {

  /** A routing context that only has a body: all JsonInput reads. */
  private static RoutingContext withBody(String body) {
    RequestBody requestBody = (RequestBody) Proxy.newProxyInstance(RequestBody.class.getClassLoader(),
        new Class<?>[] {RequestBody.class}, (proxy, method, args) -> method.getName().equals("asString") ? body : null);
    return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
        new Class<?>[] {RoutingContext.class}, (proxy, method, args) -> method.getName().equals("body") ? requestBody : null);
  }

  private static String problem(String body, java.util.function.Consumer<JsonInput> read, String... allowed) {
    try {
      read.accept(JsonInput.of(withBody(body), allowed));
      return null;
    } catch (ApiException e) {
      assertThat(e.status()).isEqualTo(400);
      return e.getMessage();
    }
  }

  @Test
  @DisplayName("names the field that is unknown, missing, of the wrong type, too long or holding control characters")
  void namesTheField() {
    assertThat(problem("{\"name\":\"a\",\"admin\":true}", in -> {}, "name")).contains("unknown field 'admin'");
    assertThat(problem("{}", in -> in.requiredString("name", 10), "name")).isEqualTo("'name' is required");
    assertThat(problem("{\"name\":5}", in -> in.requiredString("name", 10), "name")).isEqualTo("'name' must be a string");
    assertThat(problem("{\"name\":\"" + "x".repeat(11) + "\"}", in -> in.requiredString("name", 10), "name"))
        .isEqualTo("'name' must be at most 10 characters");
    assertThat(problem("{\"name\":\"a\\u0000b\"}", in -> in.requiredString("name", 10), "name")).contains("control characters");
    assertThat(problem("{\"days\":0}", in -> in.optionalInt("days", 1, 30), "days")).isEqualTo("'days' must be between 1 and 30");
    assertThat(problem("{\"days\":\"7\"}", in -> in.optionalInt("days", 1, 30), "days")).isEqualTo("'days' must be a whole number");
    assertThat(problem("{\"name\":\"Bad/Name\"}", in -> in.requiredName("name", Names.NAME, Names.RULE), "name"))
        .startsWith("'name' must be 1-40 lowercase");
  }

  @Test
  @DisplayName("rejects a body that is not a JSON object, and reads an empty one as {}")
  void shapes() {
    assertThat(problem("[1]", in -> {})).isEqualTo("the request body must be a JSON object");
    assertThat(problem("{oops", in -> {})).isEqualTo("the request body is not valid JSON");
    assertThat(problem("", in -> assertThat(in.optionalString("label", 5)).isEmpty(), "label")).isNull();
    assertThat(problem("{\"text\":\"line\\nnext\\ttab\"}", in -> assertThat(in.requiredString("text", 50)).contains("\n"), "text")).isNull();
  }

  @Test
  @DisplayName("a name in a URL that breaks the rule names nothing: 404")
  void pathNames() {
    assertThat(Names.pathName("backend-2", "agent")).isEqualTo("backend-2");
    assertThatThrownBy(() -> Names.pathName("../etc", "agent")).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  @DisplayName("log lines never carry a key or token")
  void logSafe() {
    String invite = "mc_inv_" + "A1b2".repeat(11);
    assertThat(LogSafe.redact("/join/" + invite)).isEqualTo("/join/mc_…").doesNotContain("A1b2");
    assertThat(LogSafe.redact("key mc_" + "Zz9".repeat(15) + " used")).isEqualTo("key mc_… used");
    String session = SecretKeys.generate(SecretKeys.DASHBOARD_SESSION);
    assertThat(LogSafe.redact("Bearer " + session + ", ticket mc_tk_" + "x7Y".repeat(15)))
        .isEqualTo("Bearer mc_…, ticket mc_…").doesNotContain(session.substring(6));
  }
}
