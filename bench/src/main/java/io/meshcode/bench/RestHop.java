package io.meshcode.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The REST side of the MCP hop: the receiver parked in {@code GET …/wait} from its cursor, the
 * sender posting a message with its own id (as the MCP server sends), one hop at a time; the
 * send's answer and the wake are timed from just before the send leaves, then the batch is
 * acknowledged ({@code POST …/ack}), as the MCP server's {@code meshcode_done} does.
 */
final class RestHop {

  private final Api api;
  private final String messagesPath;
  private final String receiverPath;
  private String cursor;

  RestHop(Api api, String meshwork, String sender, String receiver) {
    this.api = api;
    this.messagesPath = Api.agentPath(meshwork, sender) + "/messages";
    this.receiverPath = Api.agentPath(meshwork, receiver);
  }

  McpHopBench.Hops block(int messages, int pauseMs) throws InterruptedException {
    McpHopBench.Hops hops = new McpHopBench.Hops();
    for (int i = 0; i < messages; i++) {
      String id = UUID.randomUUID().toString();
      Promise<Long> woken = Promise.promise();
      awaitMessage(id, woken);
      Thread.sleep(pauseMs);
      long start = System.nanoTime();
      long answered = join(api.expect(201, HttpMethod.POST, messagesPath,
          new JsonObject().put("id", id).put("to", receiverName()).put("text", "hop " + i)).map(sent -> System.nanoTime()));
      long wokeAt = join(woken.future());
      join(api.expect(200, HttpMethod.POST, receiverPath + "/ack", new JsonObject().put("cursor", cursor)));
      hops.add(answered - start, wokeAt - start);
    }
    return hops;
  }

  /** Waits from the cursor, again and again, until a batch carries message {@code id}; completes with when it arrived. */
  private void awaitMessage(String id, Promise<Long> woken) {
    String query = "?timeout=50&limit=500" + (cursor == null ? "" : "&after=" + cursor);
    api.expect(200, HttpMethod.GET, receiverPath + "/wait" + query, null).onComplete(answer -> {
      long now = System.nanoTime();
      if (answer.failed()) {
        woken.fail(answer.cause());
        return;
      }
      cursor = answer.result().getString("cursor", cursor);
      JsonArray batch = answer.result().getJsonArray("messages", new JsonArray());
      for (int i = 0; i < batch.size(); i++) {
        if (id.equals(batch.getJsonObject(i).getString("id"))) {
          woken.complete(now);
          return;
        }
      }
      awaitMessage(id, woken);
    });
  }

  private String receiverName() {
    return receiverPath.substring(receiverPath.lastIndexOf('/') + 1);
  }

  private static <T> T join(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }
}
