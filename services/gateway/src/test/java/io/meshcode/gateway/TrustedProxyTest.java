package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.testkit.TestHttp;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client address behind a proxy")
class TrustedProxyTest {

  private static final int FAILURES_PER_MINUTE = 5;

  @Test
  @DisplayName("behind a trusted proxy, limits bad keys per forwarded client, so one client's guessing does not lock out another")
  void clientsBehindTrustedProxy() {
    try (GatewayFixture gateway = GatewayFixture.start(Map.of(
        "MESHCODE_TRUSTED_PROXIES", "127.0.0.1",
        "MESHCODE_KEY_FAILURES_PER_MINUTE", String.valueOf(FAILURES_PER_MINUTE)))) {
      assertThat(badKeys(gateway, "203.0.113.7", 3 * FAILURES_PER_MINUTE)).as("the guessing client, limited").isEqualTo(429);
      assertThat(badKeys(gateway, "203.0.113.7", 1)).isEqualTo(429);
      assertThat(badKeys(gateway, "198.51.100.1, 127.0.0.1", 1)).as("another client, through two proxies").isEqualTo(401);
      assertThat(badKeys(gateway, "not-an-address", 1)).as("garbage: the proxy's own address, not yet limited").isEqualTo(401);
      assertThat(badKeys(gateway, "198.51.100.1, 203.0.113.7", 1))
          .as("what the limited client writes left of itself changes nothing").isEqualTo(429);
    }
  }

  @Test
  @DisplayName("with no trusted proxy, a forged X-Forwarded-For does not let a direct caller escape the limit")
  void forgedHeaderIgnored() {
    try (GatewayFixture gateway = GatewayFixture.start(Map.of("MESHCODE_KEY_FAILURES_PER_MINUTE", String.valueOf(FAILURES_PER_MINUTE)))) {
      assertThat(gateway.call("GET", "/v1/me", gateway.adminKey, null).statusCode()).isEqualTo(200);
      for (int i = 0; i < 3 * FAILURES_PER_MINUTE; i++) {
        badKeys(gateway, "203.0.113." + i, 1);
      }
      assertThat(badKeys(gateway, "198.51.100.99", 1)).isEqualTo(429);
      assertThat(badKeys(gateway, null, 1)).isEqualTo(429);
      assertThat(gateway.call("GET", "/v1/me", gateway.adminKey, null).statusCode()).as("a key that worked before").isEqualTo(200);
    }
  }

  /** Sends {@code count} requests with unknown keys, as forwarded for {@code forwardedFor}; answers the last status. */
  private static int badKeys(GatewayFixture gateway, String forwardedFor, int count) {
    Map<String, String> headers = forwardedFor == null ? Map.of() : Map.of("X-Forwarded-For", forwardedFor);
    int status = 0;
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response = TestHttp.send(gateway.port(), "GET", "/v1/me",
          "Bearer " + SecretKeys.generate(SecretKeys.OWNER), null, headers);
      status = response.statusCode();
    }
    return status;
  }
}
