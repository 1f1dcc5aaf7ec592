package io.meshcode.bus;

import io.vertx.sqlclient.Row;

/** An agent's derived status moved from the one last reported to a new one. */
record StatusChange(AgentSlot slot, String from, String to) {

  static StatusChange from(Row row) {
    return new StatusChange(new AgentSlot(row.getUUID("meshwork_id"), row.getString("agent")),
        row.getString("previous"), row.getString("status"));
  }
}
