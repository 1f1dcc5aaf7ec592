package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@DisplayName("A wait whose connection drops")
class WaitRetryIT {

  @Test
  @DisplayName("waits again from the same cursor: the message sent meanwhile arrives once, nothing is lost or repeated")
  void retriesFromTheCursor() throws Exception {
    TestMesh mesh = TestMesh.get();
    String owner = mesh.newOwner();
    String mw = mesh.meshwork(owner, "drop", Map.of("backend", "API", "frontend", "UI"));
    try (CuttableProxy proxy = new CuttableProxy(mesh.port());
         McpAgent backend = McpAgent.start(proxy.url(), owner, mw, "backend", Map.of())) {
      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/frontend/messages", owner,
          Json.object().put("to", "backend").put("text", "before the drop"));
      assertThat(JavaClientIT.texts(backend.ok("meshcode_wait", Map.of("timeout_seconds", 5)))).containsExactly("before the drop");

      CompletableFuture<McpAgent.Reply> parked = CompletableFuture.supplyAsync(() ->
          backend.call("meshcode_wait", Map.of("timeout_seconds", 30)));
      Eventually.within(Duration.ofSeconds(10), () -> assertThat(mesh.status(owner, mw, "backend")).isEqualTo("waiting"));
      proxy.cut(true);
      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/frontend/messages", owner,
          Json.object().put("to", "backend").put("text", "during the drop"));
      // Failed at the cut, and again on a try while the gateway could not be reached.
      Eventually.within(Duration.ofSeconds(20), () ->
          assertThat(backend.stderr().split("waiting again from the same cursor", -1)).hasSizeGreaterThan(2));
      proxy.accept(true);

      McpAgent.Reply reply = parked.get(30, TimeUnit.SECONDS);
      assertThat(reply.isError()).as(reply.json() + "\n" + backend.stderr()).isFalse();
      assertThat(JavaClientIT.texts(reply.json())).containsExactly("during the drop");
      assertThat(backend.stderr()).contains("waiting again from the same cursor");

      JsonNode again = backend.ok("meshcode_wait", Map.of("timeout_seconds", 1));
      assertThat(again.path("messages")).isEmpty();
      assertThat(backend.ok("meshcode_done", Map.of("summary", "both handled")).path("acked").asInt()).isEqualTo(2);
    }
  }
}
