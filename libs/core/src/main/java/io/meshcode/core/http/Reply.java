package io.meshcode.core.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A successful answer: its status and JSON body ({@code null} for 204). */
public record Reply(int status, JsonObject body) {

  public static Reply ok(JsonObject body) {
    return new Reply(200, body);
  }

  public static Reply created(JsonObject body) {
    return new Reply(201, body);
  }

  public static Reply noContent() {
    return new Reply(204, null);
  }

  public void send(RoutingContext ctx) {
    ctx.response().setStatusCode(status);
    if (body == null) {
      ctx.response().end();
    } else {
      ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }
  }
}
