package io.meshcode.invites;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** A successful answer: its status and JSON body ({@code null} for 204). */
record Reply(int status, JsonObject body) {

  static Reply ok(JsonObject body) {
    return new Reply(200, body);
  }

  static Reply created(JsonObject body) {
    return new Reply(201, body);
  }

  static Reply noContent() {
    return new Reply(204, null);
  }

  void send(RoutingContext ctx) {
    ctx.response().setStatusCode(status);
    if (body == null) {
      ctx.response().end();
    } else {
      ctx.response().putHeader("content-type", "application/json").end(body.encode());
    }
  }
}
