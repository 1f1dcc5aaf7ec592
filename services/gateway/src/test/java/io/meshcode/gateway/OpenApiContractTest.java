package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.testkit.TestServices;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The OpenAPI document and the gateway's routes are one: neither may have what the other lacks. */
@DisplayName("The public API's OpenAPI document")
class OpenApiContractTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() {
    vertx = Vertx.vertx();
    contract = TestServices.await(PublicApi.loadContract(vertx));
  }

  @AfterAll
  static void close() {
    TestServices.await(vertx.close());
  }

  private static Map<String, Handler<RoutingContext>> localHandlers() {
    return PublicApi.localHandlers(new AccountRoutes(null, null, false, () -> {}), new TicketRoutes(null, null, null, null, null), new WaitHandler(null, null, null, null, null, null));
  }

  private static Map<String, Handler<RoutingContext>> handlers(Map<String, Handler<RoutingContext>> local, Set<String> services) {
    Map<String, URI> upstreams = services.stream().collect(Collectors.toMap(s -> s, s -> URI.create("http://127.0.0.1:1")));
    return PublicApi.handlers(contract, local, new Forwarding(null, upstreams, new ParkedWaits(), new ScopeCache(0)));
  }

  @Test
  @DisplayName("every operation has a handler, and a request on its path with its method finds it")
  void everyOperationFound() {
    Map<String, Handler<RoutingContext>> handlers = handlers(localHandlers(), Set.of("invites", "bus", "memory", "tasks"));
    assertThat(handlers.keySet()).isEqualTo(contract.operations().stream().map(Operation::getOperationId).collect(Collectors.toSet()));
    OperationIndex index = OperationIndex.of(contract);
    assertThat(contract.operations()).allSatisfy(operation -> {
      String path = operation.getOpenAPIPath().replaceAll("\\{([^}]+)}", "x-$1");
      assertThat(path).startsWith(PublicApi.PREFIX);
      OperationIndex.Found found = index.find(path);
      assertThat(found).as(path).isNotNull();
      assertThat(found.path().operation(operation.getHttpMethod())).isSameAs(operation);
      found.parameters().forEach((name, value) -> assertThat(value).isEqualTo("x-" + name));
    });
  }

  @Test
  @DisplayName("the gateway's own handlers are exactly its operations in the document")
  void localHandlersMatchDocument() {
    Set<String> gatewayOperations = contract.operations().stream()
        .filter(op -> op.getTags().contains(PublicApi.GATEWAY_TAG))
        .map(Operation::getOperationId)
        .collect(Collectors.toSet());
    assertThat(localHandlers().keySet()).isEqualTo(gatewayOperations);
  }

  @Test
  @DisplayName("refuses to start when an operation has no handler")
  void missingHandlerFails() {
    Map<String, Handler<RoutingContext>> withoutMe = new HashMap<>(localHandlers());
    withoutMe.remove("getMe");
    assertThatThrownBy(() -> handlers(withoutMe, Set.of("invites", "bus", "memory", "tasks"))).hasMessageContaining("getMe");
    assertThatThrownBy(() -> handlers(localHandlers(), Set.of())).hasMessageMatching("operation \\w+ \\(tag '(invites|bus|memory|tasks)'\\) has no handler");
  }

  @Test
  @DisplayName("every operation names a known owner: the gateway or a service behind it")
  void everyOperationTagged() {
    Set<String> owners = Set.of(PublicApi.GATEWAY_TAG, "bus", "memory", "tasks", "invites");
    assertThat(contract.operations()).allSatisfy(op -> assertThat(op.getTags()).hasSize(1).first().isIn(owners));
  }
}
