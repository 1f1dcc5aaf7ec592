package io.meshcode.bus;

import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** Activity reports and the presence list. */
final class PresenceHandlers {

  private final PresenceRepository presence;

  PresenceHandlers(PresenceRepository presence) {
    this.presence = presence;
  }

  Future<Reply> activity(RoutingContext ctx, AgentSlot slot) {
    JsonInput.of(ctx);
    return presence.activity(slot).map(v -> Reply.noContent());
  }

  Future<Reply> list(RoutingContext ctx, UUID meshwork) {
    return presence.list(meshwork).map(agents -> Reply.ok(new JsonObject()
        .put("agents", new JsonArray(agents.stream().map(AgentPresence::toJson).toList()))));
  }
}
