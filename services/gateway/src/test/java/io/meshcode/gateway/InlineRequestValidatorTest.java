package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adapter over vertx-openapi's implementation class judges every request as the library's
 * public validator does: an upgrade that removes the methods it calls, or makes them judge
 * differently from the public validator, fails here.
 */
@DisplayName("Inline request validation against vertx-openapi's public validator")
class InlineRequestValidatorTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static Vertx vertx;
  private static HttpServer server;
  private static OpenAPIContract contract;
  private static InlineRequestValidator inline;
  private static RequestValidator published;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    contract = TestServices.await(PublicApi.loadContract(vertx));
    inline = new InlineRequestValidator(vertx, contract);
    published = RequestValidator.create(vertx, contract);
    server = TestServices.await(vertx.createHttpServer().requestHandler(InlineRequestValidatorTest::judge).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    TestServices.await(vertx.close());
  }

  /** Answers both verdicts for the request: "ok" or the validator's message. */
  private static void judge(HttpServerRequest request) {
    request.pause();
    Operation operation = contract.findOperation(request.path(), request.method());
    RequestUtils.extract(request, operation, request::body)
        .compose(validatable -> {
          String mine = verdict(() -> inline.validate(operation, validatable));
          return published.validate(validatable, operation.getOperationId())
              .map(ok -> "ok").recover(failure -> Future.succeededFuture(failure.getMessage()))
              .map(theirs -> new JsonObject().put("inline", mine).put("published", theirs));
        })
        .onSuccess(answer -> request.response().end(answer.encode()))
        .onFailure(failure -> request.response().setStatusCode(500).end(String.valueOf(failure)));
    request.resume();
  }

  private interface Check {
    void run() throws ValidatorException;
  }

  private static String verdict(Check check) {
    try {
      check.run();
      return "ok";
    } catch (ValidatorException e) {
      return e.getMessage();
    }
  }

  private static JsonObject ask(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
    request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
        : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3}")
  @DisplayName("valid and invalid requests get the public validator's verdict, word for word")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "POST | /v1/meshworks | {\"name\":\"web-shop\"} | ok",
      "POST | /v1/meshworks | {\"name\":\"Web Shop\"} | invalid",
      "POST | /v1/meshworks | {} | invalid",
      "POST | /v1/meshworks | {\"name\":\"web\",\"owner\":\"me\"} | invalid",
      "POST | /v1/meshworks | - | invalid",
      "GET | /v1/meshworks/web-shop | - | ok",
      "GET | /v1/meshworks/Web%20Shop | - | invalid",
      "GET | /v1/meshworks/web-shop/log?after=12&limit=5 | - | ok",
      "GET | /v1/meshworks/web-shop/log?after=twelve | - | invalid",
      "GET | /v1/meshworks/web-shop/agents/ada/wait?timeout=x | - | invalid",
  })
  void sameVerdict(String method, String path, String body, String expected) throws Exception {
    JsonObject answer = ask(method, path, body);
    assertThat(answer.getString("inline")).as("the inline verdict").isEqualTo(answer.getString("published"));
    if (expected.equals("ok")) {
      assertThat(answer.getString("inline")).isEqualTo("ok");
    } else {
      assertThat(answer.getString("inline")).isNotEqualTo("ok").isNotBlank();
    }
  }

  @Test
  @DisplayName("the adapter is the only class of the gateway that uses vertx-openapi's impl package")
  void onlyTheAdapterReachesIn() throws IOException {
    Path main = Path.of("src/main/java/io/meshcode/gateway");
    try (Stream<Path> files = Files.list(main)) {
      List<String> users = files.filter(file -> read(file).contains("io.vertx.openapi.validation.impl."))
          .map(file -> file.getFileName().toString()).toList();
      assertThat(users).containsExactly("InlineRequestValidator.java");
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
