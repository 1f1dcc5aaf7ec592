package io.meshcode.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The bus service's settings")
class BusSettingsTest {

  private static final String PUBLIC_KEY = InternalKeys.generate().publicKeyPem();

  @Test
  @DisplayName("leases last 30 s, agents turn idle after 300 s and the sweeper runs every 2 s unless told otherwise")
  void defaults() {
    BusSettings settings = settings(Map.of());
    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.idleAfter()).isEqualTo(Duration.ofSeconds(300));
    assertThat(settings.sweepInterval()).isEqualTo(Duration.ofMillis(2000));
    assertThat(settings.service().httpPort()).isEqualTo(Main.DEFAULT_PORT);
  }

  @Test
  @DisplayName("each can be set from the environment")
  void custom() {
    BusSettings settings = settings(Map.of("MESHCODE_SESSION_LEASE_SECONDS", "45", "MESHCODE_IDLE_SECONDS", "60",
        "MESHCODE_PRESENCE_SWEEP_MILLIS", "500"));
    assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.idleAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.sweepInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  @DisplayName("a value out of range or not a number stops start-up, naming the variable")
  void badValues() {
    for (Map.Entry<String, String> bad : Map.of("MESHCODE_SESSION_LEASE_SECONDS", "0", "MESHCODE_IDLE_SECONDS", "soon",
        "MESHCODE_PRESENCE_SWEEP_MILLIS", "10").entrySet()) {
      assertThatThrownBy(() -> settings(Map.of(bad.getKey(), bad.getValue())))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(bad.getKey());
    }
  }

  private static BusSettings settings(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", PUBLIC_KEY);
    return BusSettings.from(new EnvConfig(env), Main.DEFAULT_PORT);
  }
}
