package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The clients' back-off")
class BackoffTest {

  @Test
  @DisplayName("doubles from the first delay up to the longest, and a success starts it over")
  void doublesAndResets() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertThat(Stream.generate(backoff::next).limit(6).map(Duration::toSeconds)).containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
    backoff.reset();
    assertThat(backoff.peek()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("a first delay of zero is refused")
  void refusesZero() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
