package io.meshcode.bus;

import io.meshcode.core.ids.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message's entries in the replay log, written by the send's own statement (MessageRepository's
 * {@code SEND}) with the message's record for {@code mesh.messages}. The message is one entry in
 * the sender's meshwork and one in each other meshwork it reached, each naming the recipients of
 * that meshwork; in those other meshworks the sender is written {@code <its meshwork>/<agent>},
 * so it never passes for one of their own agents.
 *
 * <p>The record is the message's envelope with a {@code log} list added: for each of those
 * entries its meshwork, seq, agent and recipients. Gateways push it to their streams from there,
 * so a message crosses Kafka once; {@code mesh.log} carries the other entries.
 *
 * <p>Each entry takes the next number of its meshwork's log counter. The caller holds those
 * counters' rows already (a send group locks them first, then the inbox positions; the replay
 * log's consumer holds them when it sends a task notice), so numbers go out in commit order.
 */
final class MessageLog {

  private MessageLog() {}

  /** Each meshwork the message reached, the sender's first: the sender as that meshwork names it, and its recipients there. */
  static JsonArray reached(AgentSlot sender, String meshworkName, List<Recipient> recipients) {
    Map<UUID, JsonArray> names = new LinkedHashMap<>();
    names.put(sender.meshwork(), new JsonArray());
    for (Recipient recipient : recipients) {
      JsonArray here = names.computeIfAbsent(recipient.meshwork(), id -> new JsonArray());
      if (!here.contains(recipient.agent())) {
        here.add(recipient.agent());
      }
    }
    String home = meshworkName != null && Names.NAME.matcher(meshworkName).matches() ? meshworkName : sender.meshwork().toString();
    JsonArray reached = new JsonArray();
    names.forEach((meshwork, agents) -> reached.add(new JsonObject()
        .put("meshwork", meshwork.toString())
        .put("agent", meshwork.equals(sender.meshwork()) ? sender.agent() : home + "/" + sender.agent())
        .put("recipients", agents)));
    return reached;
  }
}
