package io.meshcode.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client address behind trusted proxies")
class ClientAddressTest {

  private final ClientAddress proxies = ClientAddress.trusting("10.0.0.0/8, 192.168.1.1, 2001:db8::/32");

  @Test
  @DisplayName("from a trusted peer, takes the rightmost address that is not a trusted proxy")
  void trustedChain() {
    assertThat(proxies.resolve("10.0.0.5", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("10.0.0.5", List.of("198.51.100.1, 203.0.113.7, 10.1.2.3, 192.168.1.1")))
        .as("past two trusted hops; what lies left of the client is not read").isEqualTo("203.0.113.7");
  }

  @Test
  @DisplayName("reads several X-Forwarded-For headers as one list, in order")
  void severalHeaders() {
    assertThat(proxies.resolve("10.0.0.5", List.of("198.51.100.1", "203.0.113.7, 10.9.9.9"))).isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("10.0.0.5", List.of("203.0.113.7", "10.9.9.9"))).isEqualTo("203.0.113.7");
  }

  @Test
  @DisplayName("ignores the header from an untrusted peer, forged or not")
  void untrustedPeer() {
    assertThat(proxies.resolve("203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
    assertThat(proxies.resolve("192.168.1.2", List.of("198.51.100.1"))).as("next to a trusted address").isEqualTo("192.168.1.2");
    assertThat(ClientAddress.trustingNobody().resolve("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("127.0.0.1");
    assertThat(ClientAddress.trusting("  ").trustsNobody()).isTrue();
  }

  @Test
  @DisplayName("takes the leftmost address when every one is a trusted proxy, and the peer's when there is no header")
  void allTrusted() {
    assertThat(proxies.resolve("10.0.0.5", List.of("10.0.0.1, 10.0.0.2"))).isEqualTo("10.0.0.1");
    assertThat(proxies.resolve("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
  }

  @Test
  @DisplayName("falls back to the peer on a malformed or empty hop, or past 64 trusted hops, but never reads left of the client")
  void garbage() {
    for (String header : List.of("", " ", "203.0.113.7,", "203.0.113.7, , 10.0.0.1", "not-an-address", "example.com",
        "203.0.113.7:443", "[2001:db8::1]", "999.1.1.1", "fe80::1%eth0", "203.0.113.7 10.0.0.1", "unknown")) {
      assertThat(proxies.resolve("10.0.0.5", List.of(header))).as("'%s'", header).isEqualTo("10.0.0.5");
    }
    assertThat(proxies.resolve("10.0.0.5", List.of("garbage, 203.0.113.7"))).isEqualTo("203.0.113.7");

    String sixtyFour = "203.0.113.7" + ", 10.0.0.1".repeat(63);
    assertThat(proxies.resolve("10.0.0.5", List.of(sixtyFour))).isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("10.0.0.5", List.of("203.0.113.7" + ", 10.0.0.1".repeat(64)))).as("65 hops walked").isEqualTo("10.0.0.5");
    assertThat(proxies.resolve("10.0.0.5", List.of("garbage, ".repeat(1000) + "203.0.113.7")))
        .as("a long header the client padded: its own address still counts, never the proxy's").isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("10.0.0.5", List.of("1".repeat(4000), "203.0.113.7".repeat(10))))
        .as("the last header's last hop is garbage").isEqualTo("10.0.0.5");
    assertThat(proxies.resolve("10.0.0.5", List.of("198.51.100.9", "203.0.113.7, 10.0.0.1"))).isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("10.0.0.5", List.of("198.51.100.9", "10.0.0.1"))).as("across headers").isEqualTo("198.51.100.9");
  }

  @Test
  @DisplayName("reads IPv6 and IPv4-mapped forms, and writes each address one way")
  void ipv6() {
    assertThat(proxies.resolve("2001:db8::1", List.of("2001:DB8:0:0::2, 2a00::7"))).isEqualTo("2a00:0:0:0:0:0:0:7");
    assertThat(proxies.resolve("::ffff:10.0.0.5", List.of("::ffff:203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("::ffff:203.0.113.9", List.of("198.51.100.1"))).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.trusting("::ffff:10.0.0.0/104").resolve("10.1.1.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.trusting("::1").resolve("0:0:0:0:0:0:0:1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(proxies.resolve("unknown", List.of("203.0.113.7"))).as("a peer with no IP address").isEqualTo("unknown");
  }

  @Test
  @DisplayName("matches a CIDR range to its last bit, and no further")
  void cidrEdges() {
    ClientAddress range = ClientAddress.trusting("172.16.0.0/12,2001:db8:8000::/33");
    assertThat(range.resolve("172.16.0.0", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(range.resolve("172.31.255.255", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(range.resolve("172.32.0.0", List.of("203.0.113.7"))).isEqualTo("172.32.0.0");
    assertThat(range.resolve("172.15.255.255", List.of("203.0.113.7"))).isEqualTo("172.15.255.255");
    assertThat(range.resolve("2001:db8:8000::", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(range.resolve("2001:db8:ffff:ffff::1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(range.resolve("2001:db8:7fff::1", List.of("203.0.113.7"))).isEqualTo("2001:db8:7fff:0:0:0:0:1");
    assertThat(ClientAddress.trusting("0.0.0.0/0").resolve("198.51.100.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.trusting("0.0.0.0/0").resolve("::2", List.of("203.0.113.7"))).as("IPv4 ranges hold no IPv6").isEqualTo("0:0:0:0:0:0:0:2");
  }

  @Test
  @DisplayName("refuses a setting entry that is not an address or a range, naming it")
  void strictSetting() {
    for (String bad : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.1/8", "proxy.internal", "10.0.0.1,", "10.0.0.0/-1",
        "[::1]", "::ffff:10.0.0.0/8", "10.0.0.0/8/8")) {
      assertThatThrownBy(() -> ClientAddress.trusting(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'");
    }
    assertThatThrownBy(() -> ClientAddress.trusting("10.0.0.0/8, proxy.internal")).hasMessageContaining("'proxy.internal'");
  }
}
