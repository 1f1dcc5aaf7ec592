package io.meshcode.local;

import static io.meshcode.local.FaultRun.OUTAGE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite: every kind of process of a deployment killed in turn under a stream of sends
 * and parked waits from eight agents — each service and a gateway (SIGKILL, then started again),
 * the broker (SIGKILL), PostgreSQL's postmaster (SIGKILL) and one of its backends (SIGKILL, the
 * server recovering by itself), and the bus stopped (SIGSTOP) for longer than its session lease.
 * Checks as {@link FaultRun} does, and prints each fault's recovery time. Not part of the everyday
 * build (it takes a few minutes): {@code ./mvnw -B verify -pl local -am -Pfault-suite}.
 */
@DisplayName("Fault suite")
class FaultSuiteIT {

  private static final Duration LEASE = Duration.ofSeconds(6);

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  @DisplayName("no accepted message is lost, duplicated after an ack or reordered, whichever process dies or hangs")
  void everyProcessKilledInTurn() throws Exception {
    List<FaultRun.Step> steps = new ArrayList<>();
    for (String service : List.of("bus-0", "memory-0", "tasks-0", "invites-0", "gateway-1")) {
      steps.add(new FaultRun.Step(service + " killed", mesh -> {
        mesh.kill(service);
        MessageStream.pause(OUTAGE.toMillis());
        mesh.restart(service);
      }));
    }
    steps.add(new FaultRun.Step("broker killed", mesh -> mesh.killKafka(OUTAGE)));
    steps.add(new FaultRun.Step("postmaster killed", mesh -> mesh.killPostmaster(OUTAGE)));
    steps.add(new FaultRun.Step("a PostgreSQL backend killed", MeshProcesses::killBackend));
    steps.add(new FaultRun.Step("bus stopped past its lease", mesh -> mesh.pause("bus-0", LEASE.plusSeconds(3))));
    new FaultRun("faults", 4, 4, Map.of("MESHCODE_SESSION_LEASE_SECONDS", Long.toString(LEASE.toSeconds()))).run(steps);
  }
}
