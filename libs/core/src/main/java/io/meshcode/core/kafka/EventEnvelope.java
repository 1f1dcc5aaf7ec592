package io.meshcode.core.kafka;

import io.meshcode.core.ids.Ids;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What every event on {@link Topics#EVENTS} and {@link Topics#AUTH} looks like, and the one place
 * its fields are named. The id lets a consumer drop a redelivered event; {@code agent} is null for
 * events about the meshwork itself; an event about an account rather than a meshwork (an owner
 * key's revocation) is built by {@link #ofAccount}.
 */
public record EventEnvelope(
    String id, String type, String meshwork, String agent, Instant time, JsonObject payload) {

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(meshwork, "meshwork");
    Objects.requireNonNull(time, "time");
    payload = payload == null ? new JsonObject() : payload;
  }

  public static EventEnvelope of(String type, String meshwork, String agent, JsonObject payload) {
    return new EventEnvelope(Ids.newId(), type, meshwork, agent, Instant.now(), payload);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("type", type)
        .put("meshwork", meshwork)
        .put("agent", agent)
        .put("time", time.toString())
        .put("payload", payload);
  }

  /**
   * An event about an account, which belongs to no meshwork: the envelope's fields with
   * {@code account} in place of {@code meshwork} and {@code agent}. Keyed by the account.
   */
  public static JsonObject ofAccount(String type, String account, JsonObject payload) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(account, "account");
    return new JsonObject()
        .put("id", Ids.newId())
        .put("type", type)
        .put("account", account)
        .put("time", Instant.now().toString())
        .put("payload", payload == null ? new JsonObject() : payload);
  }

  /** Reads an envelope; a record missing a required field is rejected, never half-read. */
  public static EventEnvelope fromJson(JsonObject json) {
    String id = json.getString("id");
    String type = json.getString("type");
    String meshwork = json.getString("meshwork");
    String time = json.getString("time");
    if (id == null || type == null || meshwork == null || time == null) {
      throw new IllegalArgumentException("event envelope needs id, type, meshwork and time: " + json.fieldNames());
    }
    return new EventEnvelope(id, type, meshwork, json.getString("agent"), Instant.parse(time), json.getJsonObject("payload"));
  }
}
