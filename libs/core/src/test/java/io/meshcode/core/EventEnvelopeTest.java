package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.kafka.EventEnvelope;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Event envelopes and secret keys")
class EventEnvelopeTest {

  @Test
  @DisplayName("an event survives the trip through JSON unchanged")
  void roundTrip() {
    EventEnvelope event = EventEnvelope.of("task.created", "mw-1", "backend", new JsonObject().put("title", "ship it"));
    assertThat(EventEnvelope.fromJson(new JsonObject(event.toJson().encode()))).isEqualTo(event);
  }

  @Test
  @DisplayName("an event without its meshwork is rejected, not half-read")
  void missingField() {
    assertThatThrownBy(() -> EventEnvelope.fromJson(new JsonObject().put("id", "x").put("type", "t").put("time", "2026-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meshwork");
  }

  @Test
  @DisplayName("keys carry their kind's prefix, and one kind never passes for another")
  void keyKinds() {
    String owner = SecretKeys.generate(SecretKeys.OWNER);
    String guest = SecretKeys.generate(SecretKeys.GUEST);
    assertThat(SecretKeys.isWellFormed(owner, SecretKeys.OWNER)).isTrue();
    assertThat(SecretKeys.isWellFormed(guest, SecretKeys.GUEST)).isTrue();
    assertThat(SecretKeys.isWellFormed(guest, SecretKeys.OWNER)).isFalse();
    assertThat(SecretKeys.isWellFormed("mc_short", SecretKeys.OWNER)).isFalse();
    assertThat(SecretKeys.isWellFormed("mc_" + "x".repeat(40) + "'; drop table", SecretKeys.OWNER)).isFalse();
    assertThat(SecretKeys.hash(owner)).hasSize(32).isNotEqualTo(SecretKeys.hash(guest));
    assertThat(SecretKeys.displayPrefix(guest)).startsWith("mc_sk_").hasSize(11);
  }
}
