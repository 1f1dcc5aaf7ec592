package io.meshcode.bus;

import io.meshcode.core.http.JsonInput;
import io.meshcode.core.http.Reply;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;

/** Activity reports (with the tool calls, when the agent describes them) and the presence list. */
final class PresenceHandlers {

  private final PresenceRepository presence;

  PresenceHandlers(PresenceRepository presence) {
    this.presence = presence;
  }

  Future<Reply> activity(RoutingContext ctx, AgentSlot slot) {
    List<ToolCall> calls = ToolCall.listFrom(JsonInput.of(ctx, ToolCall.BODY_FIELDS));
    return presence.activity(slot, calls).map(v -> Reply.noContent());
  }

  Future<Reply> list(RoutingContext ctx, UUID meshwork) {
    return presence.list(meshwork).map(agents -> Reply.ok(new JsonObject()
        .put("agents", new JsonArray(agents.stream().map(AgentPresence::toJson).toList()))));
  }
}
