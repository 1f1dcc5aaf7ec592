package io.meshcode.gateway;

import io.meshcode.core.MeshcodeVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** Every public route of the gateway, in one place. */
final class GatewayRoutes {

  private GatewayRoutes() {}

  static void mount(Router api) {
    api.get("/me").handler(ctx -> {
      Account account = KeyAuthHandler.account(ctx);
      ctx.json(new JsonObject()
          .put("account", new JsonObject().put("id", account.id()).put("name", account.name()).put("admin", account.admin()))
          .put("kind", "owner")
          .put("scope", new JsonObject().put("meshworks", "own"))
          .put("version", MeshcodeVersion.get()));
    });
  }
}
