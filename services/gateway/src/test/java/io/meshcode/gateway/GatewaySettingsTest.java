package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's settings")
class GatewaySettingsTest {

  private static final InternalKeys KEYS = InternalKeys.generate();

  @Test
  @DisplayName("keep only the metrics token's hash, and never print it")
  void metricsToken() {
    String token = SecretKeys.generate("scrape_");
    GatewaySettings settings = settings(Map.of("MESHCODE_METRICS_TOKEN", token));
    assertThat(settings.metricsTokenHash()).hasValueSatisfying(hash -> assertThat(hash).isEqualTo(SecretKeys.hash(token)));
    assertThat(settings.toString()).contains("metrics token set").doesNotContain(token);
    assertThat(settings(Map.of()).metricsTokenHash()).isEmpty();
  }

  @Test
  @DisplayName("a metrics token too short or with spaces stops start-up, naming the variable and not echoing it")
  void badMetricsToken() {
    for (String bad : new String[] {"short", "a token with spaces that is long enough to pass"}) {
      assertThatThrownBy(() -> settings(Map.of("MESHCODE_METRICS_TOKEN", bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("MESHCODE_METRICS_TOKEN")
          .hasMessageNotContaining(bad);
    }
  }

  @Test
  @DisplayName("trust no proxy by default, and a bad trusted-proxy entry stops start-up, naming it")
  void trustedProxies() {
    assertThat(settings(Map.of()).clientAddress().trustsNobody()).isTrue();
    assertThat(settings(Map.of("MESHCODE_TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8, 127.0.0.1")).clientAddress().trustsNobody()).isFalse();
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_TRUSTED_PROXIES", "10.0.0.0/8, lb.internal")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MESHCODE_TRUSTED_PROXIES")
        .hasMessageContaining("'lb.internal'");
  }

  @Test
  @DisplayName("sign with a new private key only once its public key is among the public keys the services are given")
  void privateKeyMustBeAmongThePublicOnes() {
    InternalKeys next = InternalKeys.generate();
    Map<String, String> env = new HashMap<>();
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", next.privateKeyPem());
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", KEYS.publicKeyPem());
    assertThatThrownBy(() -> GatewaySettings.from(new EnvConfig(env)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("MESHCODE_INTERNAL_PRIVATE_KEY: not the private half of any key in MESHCODE_INTERNAL_PUBLIC_KEY");

    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", KEYS.publicKeyPem() + next.publicKeyPem());
    assertThat(GatewaySettings.from(new EnvConfig(env)).internalKeys().privateKeyPem()).isEqualTo(next.privateKeyPem());
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", KEYS.privateKeyPem());
    assertThat(GatewaySettings.from(new EnvConfig(env)).internalKeys().privateKeyPem()).isEqualTo(KEYS.privateKeyPem());
  }

  private static GatewaySettings settings(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", KEYS.publicKeyPem());
    env.put("MESHCODE_INTERNAL_PRIVATE_KEY", KEYS.privateKeyPem());
    return GatewaySettings.from(new EnvConfig(env));
  }
}
