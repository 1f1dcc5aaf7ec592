package io.meshcode.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The back-off of the services' retry loops")
class BackoffTest {

  @Test
  @DisplayName("doubles from the first delay up to the longest, and a success starts it over")
  void doublesAndResets() {
    Backoff backoff = Backoff.standard();
    assertThat(LongStream.generate(backoff::nextMillis).limit(7).toArray()).containsExactly(500, 1000, 2000, 4000, 5000, 5000, 5000);
    backoff.reset();
    assertThat(backoff.peekMillis()).isEqualTo(500);
    assertThat(backoff.nextMillis()).isEqualTo(500);
  }

  @Test
  @DisplayName("a first delay of zero, or a longest delay shorter than the first, is refused")
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 < first <= max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
