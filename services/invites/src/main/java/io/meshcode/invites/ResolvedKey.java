package io.meshcode.invites;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/** What a live guest key or spectator token stands for, as the gateway needs it to mint an internal token. */
sealed interface ResolvedKey {

  JsonObject toJson();

  record Guest(UUID memberId, UUID meshworkId, String meshwork, String ownerAccount, String agent, String displayName)
      implements ResolvedKey {

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", "guest")
          .put("member_id", memberId.toString())
          .put("meshwork_id", meshworkId.toString())
          .put("meshwork", meshwork)
          .put("owner_account", ownerAccount)
          .put("agent", agent)
          .put("display_name", displayName);
    }
  }

  record Spectator(UUID linkId, UUID meshworkId, String meshwork, String ownerAccount) implements ResolvedKey {

    @Override
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", "spectator")
          .put("link_id", linkId.toString())
          .put("meshwork_id", meshworkId.toString())
          .put("meshwork", meshwork)
          .put("owner_account", ownerAccount);
    }
  }
}
