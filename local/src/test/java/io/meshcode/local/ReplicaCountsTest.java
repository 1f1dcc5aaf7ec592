package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("run-mesh --replicas")
class ReplicaCountsTest {

  @Test
  @DisplayName("one count is every service's; named counts leave the others at one")
  void counts() {
    assertThat(ReplicaCounts.parse("2")).isEqualTo(Map.of("gateway", 2, "bus", 2, "memory", 2, "tasks", 2, "invites", 2));
    assertThat(ReplicaCounts.parse(" gateway=3, bus=2 ")).isEqualTo(Map.of("gateway", 3, "bus", 2, "memory", 1, "tasks", 1, "invites", 1));
    assertThat(ReplicaCounts.parse("gateway=2,bus=2,memory=2,tasks=2,invites=2")).containsValues(2, 2, 2, 2, 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "9", "-1", "two", "2,2", "gateway", "gateway=", "=2", "cache=2", "gateway=2,,bus=2",
      "gateway=0", "gateway=1e1", "gateway=2;bus=2", "GATEWAY=2", "gateway=２"})
  @DisplayName("anything else is refused, saying what is expected and what was given")
  void refused(String spec) {
    assertThatThrownBy(() -> ReplicaCounts.parse(spec)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--replicas: expected a count 1-8 for every service, or service=count pairs separated by commas"
            + " (services: gateway, bus, memory, tasks, invites)");
  }

  @Test
  @DisplayName("a service named twice is refused by name")
  void twice() {
    assertThatThrownBy(() -> ReplicaCounts.parse("bus=2,bus=3")).isInstanceOf(ConfigException.class)
        .hasMessage("--replicas: bus is given twice in 'bus=2,bus=3'");
  }

  @Test
  @DisplayName("the mesh waits longer to be ready the more service processes it starts")
  void readyTimeout() {
    assertThat(LocalMesh.readyTimeout(Map.of())).as("every service in one JVM").hasSeconds(90);
    assertThat(LocalMesh.readyTimeout(ReplicaCounts.parse("2"))).as("ten service processes").hasSeconds(290);
  }
}
