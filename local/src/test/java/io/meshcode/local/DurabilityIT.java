package io.meshcode.local;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Accepted means durable, on every build: a bus crash, broker and database restarts and a database
 * crash under a stream of messages ({@link FaultRun}). {@code FaultSuiteIT} runs every fault.
 */
@DisplayName("Messaging durability")
class DurabilityIT {

  @Test
  @Timeout(value = 175, unit = TimeUnit.SECONDS)
  @DisplayName("every accepted send reaches every recipient once, in order, through a bus crash, broker and database restarts and a database crash")
  void acceptedSendsSurviveCrashesAndRestarts() throws Exception {
    new FaultRun("durability", 2, 2, Map.of()).run(List.of(
        new FaultRun.Step("bus killed", m -> {
          m.kill("bus-0");
          MessageStream.pause(FaultRun.OUTAGE.toMillis());
          m.restart("bus-0");
        }),
        new FaultRun.Step("Kafka restarted", m -> m.restartKafka(FaultRun.OUTAGE)),
        new FaultRun.Step("PostgreSQL restarted", m -> m.restartPostgres(FaultRun.OUTAGE)),
        new FaultRun.Step("PostgreSQL crashed", MeshProcesses::crashPostgres)));
  }
}
