package io.meshcode.invites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The invites service's settings")
class InvitesSettingsTest {

  private static final String PUBLIC_KEY = InternalKeys.generate().publicKeyPem();

  @Test
  @DisplayName("links point at http://127.0.0.1:8080 unless MESHCODE_PUBLIC_URL says otherwise")
  void publicUrl() {
    assertThat(settings(Map.of()).joinUrl("mc_inv_x")).isEqualTo("http://127.0.0.1:8080/join/mc_inv_x");
    InvitesSettings custom = settings(Map.of("MESHCODE_PUBLIC_URL", "https://mesh.example.com/team//"));
    assertThat(custom.joinUrl("mc_inv_x")).isEqualTo("https://mesh.example.com/team/join/mc_inv_x");
    assertThat(custom.watchUrl("mc_spec_y")).isEqualTo("https://mesh.example.com/team/watch/mc_spec_y");
  }

  @Test
  @DisplayName("a MESHCODE_PUBLIC_URL that is not an http(s) URL stops start-up, naming the variable")
  void badPublicUrl() {
    assertThatThrownBy(() -> settings(Map.of("MESHCODE_PUBLIC_URL", "ftp://mesh")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("MESHCODE_PUBLIC_URL");
  }

  private static InvitesSettings settings(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("MESHCODE_INTERNAL_PUBLIC_KEY", PUBLIC_KEY);
    return InvitesSettings.from(new EnvConfig(env), Main.DEFAULT_PORT);
  }
}
