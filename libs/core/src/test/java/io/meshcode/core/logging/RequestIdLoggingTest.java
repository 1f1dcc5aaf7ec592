package io.meshcode.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.meshcode.core.http.FailureHandler;
import io.meshcode.core.http.RequestIdHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

@DisplayName("The request id in the log")
class RequestIdLoggingTest {

  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicReference<String> seenByHandler = new AtomicReference<>();
  private final AtomicReference<String> leftOver = new AtomicReference<>("unset");
  private final ListAppender<ILoggingEvent> failures = new ListAppender<>();
  private Logger failureLogger;
  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    failureLogger = (Logger) LoggerFactory.getLogger(FailureHandler.class);
    failureLogger.setLevel(Level.DEBUG);
    failures.start();
    failureLogger.addAppender(failures);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    // Before the id is set: what an earlier request left on the event loop's thread.
    router.route().handler(ctx -> {
      leftOver.set(MDC.get(RequestIdHandler.MDC_KEY));
      ctx.next();
    });
    router.route().handler(new RequestIdHandler());
    router.get("/seen").handler(ctx -> {
      seenByHandler.set(MDC.get(RequestIdHandler.MDC_KEY));
      ctx.end();
    });
    // Fails from a later callback, as a handler does after its database call.
    router.get("/broken").handler(ctx -> vertx.setTimer(1, id -> ctx.fail(new IllegalStateException("broken"))));
    router.route().failureHandler(new FailureHandler("test"));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    failureLogger.detachAppender(failures);
    failureLogger.setLevel(null);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int get(String path, String requestId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path));
    if (requestId != null) {
      request.header(RequestIdHandler.HEADER, requestId);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  @DisplayName("a handler logs with the caller's request id in the MDC, and the next request on the thread does not inherit it")
  void handlerSeesId() throws Exception {
    assertThat(get("/seen", "trace-1")).isEqualTo(200);
    assertThat(seenByHandler.get()).isEqualTo("trace-1");
    assertThat(get("/seen", "not a sane id!")).isEqualTo(200);
    assertThat(leftOver.get()).as("the first request's id is gone from the thread").isNull();
    assertThat(seenByHandler.get()).as("an insane id is replaced by a new one").isNotEqualTo("not a sane id!").isNotBlank();
  }

  @Test
  @DisplayName("a request that fails in a later callback is logged with its request id as a field")
  void failureCarriesId() throws Exception {
    assertThat(get("/broken", "trace-2")).isEqualTo(500);
    assertThat(failures.list).hasSize(1);
    ILoggingEvent event = failures.list.get(0);
    assertThat(event.getLevel()).isEqualTo(Level.ERROR);
    assertThat(event.getMDCPropertyMap()).containsEntry(RequestIdHandler.MDC_KEY, "trace-2");
    assertThat(event.getFormattedMessage()).doesNotContain("trace-2").contains("500 GET /broken");
    assertThat(MDC.get(RequestIdHandler.MDC_KEY)).isNull();
  }
}
