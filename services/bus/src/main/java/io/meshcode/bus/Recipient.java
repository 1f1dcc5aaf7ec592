package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.auth.VouchedList;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One agent a message goes to, in its own meshwork (which is the sender's, or one linked to it).
 * The gateway resolves a send's recipients at the invites service and vouches for them: the list
 * travels beside the message in the forwarded body with its digest in the internal token
 * ({@link VouchedList}), or, from a gateway before that, in the token itself. Never from the
 * caller's own body.
 */
record Recipient(UUID meshwork, String meshworkName, String agent) {

  /** A forwarded send: the caller's message, and the recipients the gateway resolved for it. */
  record Vouched(JsonInput message, List<Recipient> recipients) {}

  /**
   * The send {@code ctx} carries, with its recipients as the token vouches for them; a send whose
   * recipients the gateway did not resolve is 403.
   */
  static Vouched read(RoutingContext ctx, JsonObject vouched, String... messageFields) {
    String digest = vouched == null ? null : vouched.getString(VouchedList.RECIPIENTS_CLAIM);
    if (digest == null) {
      return new Vouched(JsonInput.of(ctx, messageFields), listed(vouched == null ? null : vouched.getJsonArray("recipients")));
    }
    JsonInput envelope = JsonInput.of(ctx, "recipients", "message");
    JsonArray list = envelope.value("recipients") instanceof JsonArray array ? array : null;
    if (list == null || !VouchedList.matches(list.encode(), digest)) {
      throw notResolved();
    }
    if (!(envelope.value("message") instanceof JsonObject message)) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    return new Vouched(JsonInput.of(message, messageFields), listed(list));
  }

  private static ApiException notResolved() {
    return ApiException.forbidden("this send's recipients were not resolved by the gateway");
  }

  private static List<Recipient> listed(JsonArray list) {
    if (list == null) {
      throw notResolved();
    }
    List<Recipient> recipients = new ArrayList<>(list.size());
    for (Object item : list) {
      JsonObject recipient = (JsonObject) item;
      UUID meshwork = Sql.uuid(recipient.getString("meshwork_id"))
          .orElseThrow(() -> new IllegalArgumentException("vouched recipient without a meshwork id"));
      recipients.add(new Recipient(meshwork, recipient.getString("meshwork"), recipient.getString("agent")));
    }
    return recipients;
  }

  /** How the sender's side names it: the bare name within the sender's meshwork, else {@code meshwork/agent}. */
  String nameFrom(UUID senderMeshwork) {
    return meshwork.equals(senderMeshwork) ? agent : meshworkName + "/" + agent;
  }
}
