package io.meshcode.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The team-sized load's bookkeeping: what counts as lost, as a duplicate, and what each latency measures. */
@DisplayName("The team-sized load's delivery ledger")
class DeliveryLedgerTest {

  private static final long MS = 1_000_000L;

  private final DeliveryLedger ledger = new DeliveryLedger();

  @Test
  @DisplayName("a message accepted and handed to every recipient is neither lost nor followed any longer")
  void delivered() {
    UUID broadcast = UUID.randomUUID();
    ledger.sending(broadcast, Set.of("b", "c"), 0);
    ledger.handed("b", broadcast, 4 * MS);
    ledger.answered(broadcast, true, 5 * MS);
    ledger.handed("c", broadcast, 7 * MS);

    DeliveryLedger.Verdict verdict = ledger.verdict();
    assertThat(verdict.sent()).isEqualTo(1);
    assertThat(verdict.accepted()).isEqualTo(1);
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.duplicates()).isZero();
    assertThat(verdict.unexpected()).isZero();
    assertThat(ledger.awaited()).isZero();
    assertThat(ledger.wake().millis()).as("per recipient, from the send's start").containsExactly(4, 7);
    assertThat(ledger.answered().millis()).containsExactly(5);
  }

  @Test
  @DisplayName("an accepted message some recipient was never handed is lost, once per message and once per missing delivery")
  void lost() {
    UUID partly = UUID.randomUUID();
    UUID never = UUID.randomUUID();
    ledger.sending(partly, Set.of("b", "c", "d"), 0);
    ledger.sending(never, Set.of("b"), 0);
    ledger.answered(partly, true, MS);
    ledger.answered(never, true, MS);
    ledger.handed("b", partly, 2 * MS);
    assertThat(ledger.awaited()).isEqualTo(3);

    DeliveryLedger.Verdict verdict = ledger.verdict();
    assertThat(verdict.lost()).isEqualTo(2);
    assertThat(verdict.lostDeliveries()).isEqualTo(3);
  }

  @Test
  @DisplayName("a failed send is not lost, and its delivery, if it was stored after all, counts as that and not as unexpected")
  void failed() {
    UUID refused = UUID.randomUUID();
    UUID timedOut = UUID.randomUUID();
    ledger.sending(refused, Set.of("b"), 0);
    ledger.sending(timedOut, Set.of("b"), 0);
    ledger.answered(refused, false, MS);
    ledger.answered(timedOut, false, MS);
    ledger.handed("b", timedOut, 2 * MS);

    DeliveryLedger.Verdict verdict = ledger.verdict();
    assertThat(verdict.failed()).isEqualTo(2);
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.failedButDelivered()).isEqualTo(1);
    assertThat(verdict.unexpected()).isZero();
    assertThat(ledger.answered().count()).as("only accepted sends' answers are timed").isZero();
  }

  @Test
  @DisplayName("an id handed to an agent again after it acknowledged it is a duplicate; again before an ack, a repeat")
  void duplicates() {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    ledger.sending(first, Set.of("b", "c"), 0);
    ledger.sending(second, Set.of("b"), 0);
    ledger.answered(first, true, MS);
    ledger.answered(second, true, MS);
    ledger.handed("b", first, 2 * MS);
    ledger.handed("b", second, 2 * MS);
    ledger.acked("b", List.of(first));
    ledger.handed("b", first, 3 * MS);
    ledger.handed("b", second, 3 * MS);
    ledger.handed("c", first, 3 * MS);

    DeliveryLedger.Verdict verdict = ledger.verdict();
    assertThat(verdict.duplicates()).isEqualTo(1);
    assertThat(verdict.repeatsBeforeAck()).isEqualTo(1);
    assertThat(verdict.lost()).as("c's first hand-over of the same id is no duplicate").isZero();
    assertThat(ledger.wake().count()).as("only first hand-overs are timed").isEqualTo(3);
  }

  @Test
  @DisplayName("an id nobody sent, or handed to an agent it was not sent to, is unexpected and delivers nothing")
  void unexpected() {
    UUID message = UUID.randomUUID();
    ledger.sending(message, Set.of("b"), 0);
    ledger.answered(message, true, MS);
    ledger.handed("c", message, 2 * MS);
    ledger.handed("b", UUID.randomUUID(), 2 * MS);

    DeliveryLedger.Verdict verdict = ledger.verdict();
    assertThat(verdict.unexpected()).isEqualTo(2);
    assertThat(verdict.lost()).isEqualTo(1);
  }

  @Test
  @DisplayName("a send not answered yet is neither accepted nor lost, and the drain waits for it")
  void unanswered() {
    UUID message = UUID.randomUUID();
    ledger.sending(message, Set.of("b"), 0);
    ledger.handed("b", message, 2 * MS);
    assertThat(ledger.unanswered()).isEqualTo(1);
    assertThat(ledger.verdict().unanswered()).isEqualTo(1);
    assertThat(ledger.verdict().lost()).isZero();
    ledger.answered(message, true, 3 * MS);
    ledger.answered(message, false, 4 * MS);
    assertThat(ledger.unanswered()).isZero();
    assertThat(ledger.verdict().accepted()).as("a second answer changes nothing").isEqualTo(1);
    assertThat(ledger.verdict().failed()).isZero();
  }

  @Test
  @DisplayName("a warm-up's sends are not timed, but still count for loss and duplicates")
  void warmup() {
    UUID early = UUID.randomUUID();
    UUID late = UUID.randomUUID();
    ledger.measureFrom(10 * MS);
    ledger.sending(early, Set.of("b", "c"), 9 * MS);
    ledger.sending(late, Set.of("b"), 10 * MS);
    ledger.answered(early, true, 11 * MS);
    ledger.answered(late, true, 12 * MS);
    ledger.handed("b", early, 13 * MS);
    ledger.handed("b", late, 14 * MS);
    ledger.acked("b", List.of(early));
    ledger.handed("b", early, 15 * MS);

    assertThat(ledger.wake().millis()).containsExactly(4);
    assertThat(ledger.answered().millis()).containsExactly(2);
    DeliveryLedger.Verdict verdict = ledger.verdict();
    assertThat(verdict.lost()).isEqualTo(1);
    assertThat(verdict.duplicates()).isEqualTo(1);
  }

  @Test
  @DisplayName("an agent backs off after failed waits as the MCP server does: 500 ms, doubling, at most 5 s")
  void backoff() {
    assertThat(List.of(1, 2, 3, 4, 5, 40).stream().map(TeamAgent::backoffMs)).containsExactly(500L, 1_000L, 2_000L, 4_000L, 5_000L, 5_000L);
  }

  @Test
  @DisplayName("the mix is three shares in percent that add up to 100")
  void mix() {
    assertThat(TeamAgent.Mix.parse("70/20/10")).isEqualTo(new TeamAgent.Mix(70, 20, 10));
    assertThat(TeamAgent.Mix.parse("100/0/0")).isEqualTo(new TeamAgent.Mix(100, 0, 0));
    assertThatThrownBy(() -> TeamAgent.Mix.parse("70/20")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TeamAgent.Mix.parse("70/20/20")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TeamAgent.Mix.parse("110/0/-10")).isInstanceOf(IllegalArgumentException.class);
  }
}
