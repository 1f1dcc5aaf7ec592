package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One agent a message goes to, in its own meshwork (which is the sender's, or one linked to it).
 * The gateway resolves a send's recipients at the invites service and vouches for them in the
 * internal token; the bus takes them from there and never from the request body.
 */
record Recipient(UUID meshwork, String meshworkName, String agent) {

  /** The recipients the token vouches for; a send without them was not resolved by the gateway. */
  static List<Recipient> vouchedIn(JsonObject vouched) {
    JsonArray list = vouched == null ? null : vouched.getJsonArray("recipients");
    if (list == null) {
      throw ApiException.forbidden("this send's recipients were not resolved by the gateway");
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
