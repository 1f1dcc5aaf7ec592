package io.meshcode.invites;

import io.meshcode.core.kafka.EventEnvelope;
import io.meshcode.core.kafka.Removals;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import java.util.UUID;

/**
 * Every change of who belongs to a meshwork, written to the outbox in the transaction of the
 * change. Revocations go to {@link Topics#AUTH} as well, where every gateway replica listens.
 * Payloads never carry a secret: ids and names only.
 */
final class MembershipEvents {

  static final String MESHWORK_CREATED = "meshwork.created";
  static final String MESHWORK_DELETED = Removals.MESHWORK_DELETED;
  static final String MESHWORK_LINKED = "meshwork.linked";
  static final String MESHWORK_UNLINKED = "meshwork.unlinked";
  static final String AGENT_ADDED = "agent.added";
  static final String AGENT_UPDATED = "agent.updated";
  static final String AGENT_REMOVED = Removals.AGENT_REMOVED;
  static final String INVITE_CREATED = "invite.created";
  static final String INVITE_REVOKED = "invite.revoked";
  static final String MEMBER_JOINED = "member.joined";
  static final String MEMBER_REVOKED = "member.revoked";
  static final String SPECTATOR_LINK_CREATED = "spectator_link.created";
  static final String SPECTATOR_LINK_REVOKED = "spectator_link.revoked";

  private MembershipEvents() {}

  /** An event for the dashboard and the replay log. */
  static Future<Void> record(SqlConnection conn, String type, UUID meshwork, String agent, JsonObject payload) {
    return Outbox.append(conn, Topics.EVENTS, EventEnvelope.of(type, meshwork.toString(), agent, payload));
  }

  /** A revocation: the same envelope on both topics, so gateways drop what it revokes. */
  static Future<Void> revocation(SqlConnection conn, String type, UUID meshwork, String agent, JsonObject payload) {
    EventEnvelope event = EventEnvelope.of(type, meshwork.toString(), agent, payload);
    return Outbox.append(conn, Topics.EVENTS, event).compose(v -> Outbox.append(conn, Topics.AUTH, event));
  }
}
