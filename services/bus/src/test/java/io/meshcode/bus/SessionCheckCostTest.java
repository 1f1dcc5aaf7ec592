package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.bus.BusClient.Mesh;
import io.meshcode.core.auth.InternalAuthHandler;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalTokens;
import io.meshcode.core.auth.VouchedWindow;
import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.http.FailureHandler;
import io.meshcode.core.ids.Ids;
import io.meshcode.testkit.ApiCaller;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bus's routes on a pool that counts what is asked of it: a request made in a window's session
 * must cost what the same request made in none does, since the send, the wait's read and the
 * acknowledgement check the session inside their own statement ({@link SessionCheck}).
 */
@DisplayName("A request made in a session costs no statement more than one made in none")
class SessionCheckCostTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("bus");

  /** Statements issued on the pool, and connections or transactions taken from it (each at least one more round trip). */
  private static final AtomicInteger statements = new AtomicInteger();
  private static final AtomicInteger connections = new AtomicInteger();

  private static Vertx vertx;
  private static InternalTokens tokens;
  private static int port;

  @BeforeAll
  static void serveTheRoutes() {
    vertx = Vertx.vertx();
    BusSettings settings = BusSettings.from(new EnvConfig(TestInfra.get().serviceEnv(Map.of())), Main.DEFAULT_PORT);
    Router api = Router.router(vertx);
    api.route().handler(BodyHandler.create(false));
    api.route().handler(new InternalAuthHandler(InternalTokens.verifier(vertx, TestInfra.get().internalKeys().publicKeyPem())));
    BusRoutes.mount(api, counting(schema.pool()), settings, new StatusReports(settings.idleSeconds()), () -> {});
    api.route().failureHandler(new FailureHandler("bus"));
    Router root = Router.router(vertx);
    root.route("/v1/*").subRouter(api);
    port = TestServices.await(vertx.createHttpServer().requestHandler(root).listen(0)).actualPort();
    tokens = InternalTokens.signer(vertx, TestInfra.get().internalKeys());
  }

  @AfterAll
  static void stop() {
    TestServices.await(vertx.close());
  }

  @Test
  @DisplayName("a send, a wait's read and an acknowledgement are one statement each, in a session or in none")
  void oneStatementEach() {
    Mesh mesh = Mesh.fresh();
    String agent = mesh.agentPath("builder");
    String session = window(mesh, null).post(agent + "/sessions", new JsonObject()).expect(201).getString("session_id");
    JsonObject message = new JsonObject().put("to", "builder").put("text", "hello");

    for (ApiCaller caller : List.of(window(mesh, null), window(mesh, session))) {
      String made = VouchedWindow.session(caller.principal()) == null ? " in no session" : " in a session";
      assertThat(cost(() -> caller.post(agent + "/messages", message).expect(201))).as("a send" + made).isEqualTo(List.of(1, 0));
      String[] cursor = new String[1];
      assertThat(cost(() -> cursor[0] = caller.post(agent + "/inbox/take", new JsonObject()).expect(200).getString("cursor")))
          .as("a wait's read" + made).isEqualTo(List.of(1, 0));
      assertThat(cost(() -> caller.post(agent + "/ack", new JsonObject().put("cursor", cursor[0])).expect(200)))
          .as("an acknowledgement" + made).isEqualTo(List.of(1, 0));
    }
  }

  /** The statements and connections {@code request} took from the pool. */
  private static List<Integer> cost(Runnable request) {
    statements.set(0);
    connections.set(0);
    request.run();
    return List.of(statements.get(), connections.get());
  }

  /** The owner's window on agent {@code builder}, sending to itself, its requests made in {@code session} (null: in none). */
  private static ApiCaller window(Mesh mesh, String session) {
    JsonObject vouched = new JsonObject()
        .put("meshwork_name", mesh.name())
        .put("recipients", new JsonArray().add(new JsonObject().put("meshwork_id", mesh.id()).put("meshwork", mesh.name()).put("agent", "builder")));
    if (session != null) {
      vouched.put(VouchedWindow.SESSION_CLAIM, session);
    }
    return new ApiCaller(port, tokens, new InternalPrincipal(Ids.newId(), KeyKind.OWNER, mesh.id(), "builder").vouching(vouched));
  }

  /** {@code pool}, counting the statements issued on it and the connections taken from it. */
  private static Pool counting(Pool pool) {
    return (Pool) Proxy.newProxyInstance(Pool.class.getClassLoader(), new Class<?>[] {Pool.class}, (proxy, method, args) -> {
      switch (method.getName()) {
        case "preparedQuery", "query" -> statements.incrementAndGet();
        case "getConnection", "withConnection", "withTransaction" -> connections.incrementAndGet();
        default -> { }
      }
      try {
        return method.invoke(pool, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
