package io.meshcode.core.kafka;

import java.util.List;

/** Every Kafka topic of the mesh. Records on all of them are keyed by meshwork id. */
public final class Topics {

  /** Every accepted message with its full payload; gateways consume it to wake parked waits. */
  public static final String MESSAGES = "mesh.messages";

  /** Everything the dashboard and the replay log show: status, tasks, memory, membership. */
  public static final String EVENTS = "mesh.events";

  /** Revocations and other auth changes that must reach every gateway replica. */
  public static final String AUTH = "mesh.auth";

  /** Replay-log entries as the bus sequenced them per meshwork, for the gateways' WebSocket streams. */
  public static final String LOG = "mesh.log";

  public static final List<String> ALL = List.of(MESSAGES, EVENTS, AUTH, LOG);

  private Topics() {}
}
