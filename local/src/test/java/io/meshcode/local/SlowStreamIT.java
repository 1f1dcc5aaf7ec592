package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stream whose client stops reading is closed with a reason instead of buffering without bound. */
@DisplayName("A slow stream consumer")
class SlowStreamIT {

  private static MeshFixture mesh;

  @BeforeAll
  static void start() {
    mesh = MeshFixture.start(1, Map.of("MESHCODE_STREAM_QUEUE_BYTES", "1024"));
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("is disconnected with 4408 and a reason once its queue is full")
  void disconnected() throws Exception {
    String owner = mesh.newOwner("owner");
    String mw = mesh.meshwork(owner, "slow", "alice", "bob");
    String text = "x".repeat(60_000);
    for (int i = 0; i < 120; i++) {
      mesh.expect(201, "POST", "/v1/meshworks/" + mw + "/agents/alice/messages", owner, new JsonObject().put("to", "bob").put("text", text));
    }
    // All 120 messages are in the log before the subscription reads it.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (mesh.expect(200, "GET", "/v1/meshworks/" + mw + "/log?limit=500", owner, null).getJsonArray("entries").size() < 120) {
      assertThat(System.nanoTime()).as("messages logged in time").isLessThan(deadline);
      Thread.sleep(100);
    }
    try (StreamClient client = StreamClient.connect(mesh.gatewayPort(0), owner, false)) {
      client.send(new JsonObject().put("type", "subscribe").put("meshwork", mw).put("after", 0));
      Thread.sleep(2000); // the server writes ~7 MB into a socket nobody reads
      client.readAll();
      StreamClient.Closed closed = client.closed.get(30, TimeUnit.SECONDS);
      assertThat(closed.code()).isEqualTo(4408);
      assertThat(closed.reason()).startsWith("too slow");
    }
  }
}
