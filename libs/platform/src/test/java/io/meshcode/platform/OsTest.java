package io.meshcode.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OsTest {

  @Test
  @DisplayName("os.name values of every JDK MeshCode runs on map to their system")
  void readsOsName() {
    assertThat(Os.of("Linux")).isEqualTo(Os.LINUX);
    assertThat(Os.of("Mac OS X")).isEqualTo(Os.MAC);
    assertThat(Os.of("Darwin")).isEqualTo(Os.MAC);
    assertThat(Os.of("Windows 11")).isEqualTo(Os.WINDOWS);
    assertThat(Os.of("Windows Server 2022")).isEqualTo(Os.WINDOWS);
    assertThat(Os.of("FreeBSD")).isEqualTo(Os.OTHER);
    assertThat(Os.of("")).isEqualTo(Os.OTHER);
  }
}
