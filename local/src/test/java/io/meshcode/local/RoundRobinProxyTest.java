package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The replicas' proxy reads a readiness probe")
class RoundRobinProxyTest {

  @Test
  @DisplayName("the service's own answer is ready or not by its status; any other answer means the port is someone else's")
  void probeState() {
    assertThat(RoundRobinProxy.probeState("bus", 200, "{\"service\":\"bus\",\"status\":\"UP\"}")).isEqualTo(RoundRobinProxy.READY);
    assertThat(RoundRobinProxy.probeState("bus", 503, "{\"service\":\"bus\",\"status\":\"DOWN\"}")).isEqualTo(RoundRobinProxy.NOT_READY);
    assertThat(RoundRobinProxy.probeState("bus", 200, "{\"service\":\"memory\",\"status\":\"UP\"}")).isEqualTo(RoundRobinProxy.SOMEONE_ELSE);
    assertThat(RoundRobinProxy.probeState("bus", 200, "{\"status\":\"UP\"}")).isEqualTo(RoundRobinProxy.SOMEONE_ELSE);
    assertThat(RoundRobinProxy.probeState("bus", 404, "<html><body>Not Found</body></html>")).isEqualTo(RoundRobinProxy.SOMEONE_ELSE);
    assertThat(RoundRobinProxy.probeState("bus", 200, "[\"bus\"]")).isEqualTo(RoundRobinProxy.SOMEONE_ELSE);
  }
}
