package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.testkit.Eventually;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A parked wait between its reads: which wakes make it read the inbox again. The bus is a stand-in
 * that counts the reads and always finds nothing after position 7; a test can hold its answers.
 */
@DisplayName("A parked wait")
class ParkedWaitTest {

  private static final String MESHWORK = "0190c6a4-5b1e-7c3d-8e2f-0a1b2c3d4e5f";
  private static final String INBOX_SEEN_TO_7 = "7.tagofinbox";

  private final AtomicInteger reads = new AtomicInteger();
  private volatile CountDownLatch answers = new CountDownLatch(0);
  private final ParkedWaits parked = new ParkedWaits();
  private Vertx vertx;
  private HttpServer bus;
  private ServiceProxy proxy;
  private int gatewayPort;
  private volatile ParkedWait wait;
  private volatile Context waitContext;

  @BeforeEach
  void start() throws IOException {
    bus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    bus.createContext("/", exchange -> {
      reads.incrementAndGet();
      try {
        answers.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = new JsonObject().put("messages", new JsonArray()).put("cursor", INBOX_SEEN_TO_7).put("more", false)
          .encode().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    bus.start();
    vertx = Vertx.vertx();
    proxy = new ServiceProxy(vertx, InternalTokens.signer(vertx, InternalKeys.generate()));
    URI busUri = URI.create("http://127.0.0.1:" + bus.getAddress().getPort());
    Forwarding.ScopedAgent agent = new Forwarding.ScopedAgent(MESHWORK, "b", new InternalPrincipal("owner", KeyKind.OWNER, MESHWORK, "b"));
    Router router = Router.router(vertx);
    router.get("/v1/meshworks/:meshwork/agents/b/wait").handler(ctx -> {
      waitContext = vertx.getOrCreateContext();
      wait = new ParkedWait(vertx, ctx, parked, proxy, busUri, agent, ctx.queryParams().get("after"), null, null, 30);
      wait.start();
    });
    gatewayPort = TestServices.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
  }

  @AfterEach
  void stop() {
    answers.countDown();
    proxy.close();
    TestServices.await(vertx.close());
    bus.stop(0);
  }

  @Test
  @DisplayName("reads again for a message past its cursor, or at an unknown position, but not for one it has passed")
  void wakesOnlyForWhatItHasNotPassed() throws Exception {
    CompletableFuture<HttpResponse<String>> answer = startWait("");
    awaitReads(1);

    parked.wake(MESHWORK, "b", 7);
    parked.wake(MESHWORK, "b", 3);
    parked.wake(MESHWORK, "c", 8);
    assertReadsStayAt(1);

    parked.wake(MESHWORK, "b", 8);
    awaitReads(2);
    parked.wake(MESHWORK, "b", ParkedWait.ANYWHERE);
    awaitReads(3);
    assertReadsStayAt(3);

    parked.releaseAll();
    HttpResponse<String> released = answer.get();
    assertThat(new JsonObject(released.body()).getString("cursor")).isEqualTo(INBOX_SEEN_TO_7);
  }

  @Test
  @DisplayName("answers an empty batch at the first sweep that finds its time up, and not at one before")
  void answersWhenSweptAfterItsTime() throws Exception {
    CompletableFuture<HttpResponse<String>> answer = startWait("");
    awaitReads(1);
    assertReadsStayAt(1);

    parked.expire(System.nanoTime());
    // Whatever the sweep sent to the wait's context has run by the time this check does.
    assertReadsStayAt(1);
    assertThat(answer).as("30 s to go").isNotDone();
    assertThat(parked.size()).isEqualTo(1);

    parked.expire(System.nanoTime() + Duration.ofSeconds(31).toNanos());
    HttpResponse<String> answered = answer.get(10, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(answered.body()).getJsonArray("messages")).isEmpty();
    assertThat(new JsonObject(answered.body()).getString("cursor")).isEqualTo(INBOX_SEEN_TO_7);
    assertThat(parked.size()).as("left once answered").isZero();
  }

  @Test
  @DisplayName("woken during a read, reads again only if that read's cursor did not pass the wake")
  void wakeDuringARead() throws Exception {
    answers = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> answer = startWait("");
    awaitReads(1);
    parked.wake(MESHWORK, "b", 7);
    parked.wake(MESHWORK, "b", 5);
    answers.countDown();
    assertReadsStayAt(1);

    answers = new CountDownLatch(1);
    parked.wake(MESHWORK, "b", 8);
    awaitReads(2);
    parked.wake(MESHWORK, "b", 9);
    answers.countDown();
    awaitReads(3);
    assertReadsStayAt(3);

    parked.releaseAll();
    assertThat(answer.get().statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("does not read again for a position at or below the cursor its caller gave")
  void givenCursorCounts() throws Exception {
    CompletableFuture<HttpResponse<String>> answer = startWait("?after=12.tagofinbox");
    awaitReads(1);
    // The stand-in answers 7 whatever it is asked; the caller's 12 still stands.
    parked.wake(MESHWORK, "b", 12);
    assertReadsStayAt(1);
    parked.wake(MESHWORK, "b", 13);
    awaitReads(2);
    parked.releaseAll();
    assertThat(answer.get().statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("reads a cursor's position from <position>.<tag>, and nothing from anything else")
  void position() {
    assertThat(ParkedWait.position("12.tagofinbox")).isEqualTo(12);
    assertThat(ParkedWait.position(null)).isEqualTo(-1);
    assertThat(ParkedWait.position("")).isEqualTo(-1);
    assertThat(ParkedWait.position("12")).isEqualTo(-1);
    assertThat(ParkedWait.position(".tag")).isEqualTo(-1);
    assertThat(ParkedWait.position("x1.tag")).isEqualTo(-1);
    assertThat(ParkedWait.position("99999999999999999999.tag")).isEqualTo(-1);
  }

  private CompletableFuture<HttpResponse<String>> startWait(String query) {
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gatewayPort + "/v1/meshworks/" + MESHWORK + "/agents/b/wait" + query)).build();
    return HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReads(int count) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (reads.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(reads.get()).as("reads of the inbox").isGreaterThanOrEqualTo(count);
  }

  /**
   * Once the wait has handled every wake made so far and has no read out: a wake runs on the wait's
   * context and starts its read there, so a check queued there after the wakes that finds no read
   * out comes after any read they made has reached the stand-in and been answered.
   */
  private void assertReadsStayAt(int count) {
    Eventually.equalTo(this::parkedNow, true);
    assertThat(reads.get()).as("reads of the inbox").isEqualTo(count);
  }

  private boolean parkedNow() {
    Promise<Boolean> parkedNow = Promise.promise();
    waitContext.runOnContext(v -> parkedNow.complete(!wait.reading()));
    return TestServices.await(parkedNow.future());
  }
}
