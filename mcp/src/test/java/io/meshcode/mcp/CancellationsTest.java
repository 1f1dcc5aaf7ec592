package io.meshcode.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cancellations")
class CancellationsTest {

  @Test
  @DisplayName("reach the call with that request id, even one registered after the cancellation, and drop its response")
  void reachTheCall() {
    Cancellations cancellations = new Cancellations();
    CancelSignal seven = cancellations.register(7);
    CancelSignal other = cancellations.register("7");
    AtomicInteger ran = new AtomicInteger();
    seven.onCancel(ran::incrementAndGet);

    cancellations.cancel(7L);
    assertThat(seven.isCancelled()).isTrue();
    assertThat(ran).hasValue(1);
    assertThat(other.isCancelled()).isFalse();
    assertThat(cancellations.dropResponse(7)).isTrue();
    assertThat(cancellations.dropResponse("7")).isFalse();

    cancellations.cancel("late");
    assertThat(cancellations.register("late").isCancelled()).isTrue();

    seven.onCancel(ran::incrementAndGet);
    assertThat(ran).hasValue(2);
  }
}
