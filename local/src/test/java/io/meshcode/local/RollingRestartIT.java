package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An upgrade as Kubernetes rolls it out, on two replicas of every service run as separate
 * processes: each replica in turn is stopped with SIGTERM (it reports not-ready, drains and
 * exits), started again and waited for, while senders stream messages and receivers hold parked
 * waits. Checked as {@link FaultRun} does: no accepted message lost, none delivered twice after
 * an ack, order kept, every wait resumed, and a wait parked on one gateway still woken by a send
 * through the other at the end.
 */
@DisplayName("Rolling restart of two replicas of every service")
class RollingRestartIT {

  private static final Duration READY = Duration.ofSeconds(90);

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  @DisplayName("one replica at a time is stopped with SIGTERM and started again under load: nothing is lost or delivered twice, and every wait resumes")
  void everyReplicaRestartedInTurn() throws Exception {
    Map<String, Integer> replicas = MeshProcesses.replicas(2, 2);
    List<FaultRun.Step> steps = new ArrayList<>();
    for (String service : ReplicatedServices.SERVICES) {
      for (int i = 0; i < replicas.get(service); i++) {
        String replica = ReplicatedServices.replica(service, i);
        steps.add(new FaultRun.Step(replica + " restarted (SIGTERM)", mesh -> {
          mesh.services().stop(replica);
          mesh.services().start(replica);
          mesh.services().awaitReady(replica, READY);
        }));
      }
    }
    steps.add(new FaultRun.Step("every backend replica checked to have served", mesh -> {
      for (String service : ReplicatedServices.SERVICES.subList(1, ReplicatedServices.SERVICES.size())) {
        for (int i = 0; i < replicas.get(service); i++) {
          assertThat(mesh.services().connectionsTo(service, i)).as("connections the gateways made to %s-%d", service, i).isPositive();
        }
      }
    }));
    new FaultRun("rolling", 2, 2, Map.of(), replicas).run(steps);
  }
}
