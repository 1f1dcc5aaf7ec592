package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.impl.KafkaConsumerRecordImpl;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's cache of meshwork scopes")
class ScopeCacheTest {

  private static final Caller OWNER = new Caller(KeyKind.OWNER, "acc-1", "key-1", false, "Ann", null, null, null);
  private static final Caller OTHER = new Caller(KeyKind.OWNER, "acc-2", "key-2", false, "Bo", null, null, null);
  private static final JsonObject MESHWORK = new JsonObject().put("id", "mw-1").put("name", "team");

  @Test
  @DisplayName("an answer is kept per caller and meshwork")
  void perCaller() {
    ScopeCache cache = new ScopeCache(10_000);
    cache.put(ScopeCache.meshworkKey(OWNER, "team"), cache.generation(), MESHWORK);
    assertThat(cache.get(ScopeCache.meshworkKey(OWNER, "team"))).isEqualTo(MESHWORK);
    assertThat(cache.get(ScopeCache.meshworkKey(OTHER, "team"))).isNull();
    assertThat(cache.get(ScopeCache.meshworkKey(OWNER, "other"))).isNull();
  }

  @Test
  @DisplayName("an answer fetched before a membership change is not kept after it")
  void answerOlderThanAChange() {
    ScopeCache cache = new ScopeCache(10_000);
    long before = cache.generation();
    cache.invalidateAll();
    cache.put(ScopeCache.meshworkKey(OWNER, "team"), before, MESHWORK);
    assertThat(cache.get(ScopeCache.meshworkKey(OWNER, "team"))).isNull();
  }

  @Test
  @DisplayName("membership events and revocations drop everything; other events drop nothing")
  void events() {
    ScopeCache cache = new ScopeCache(10_000);
    String key = ScopeCache.recipientsKey(OWNER, "team", "alice", "{\"to\":\"*\"}");
    cache.put(key, cache.generation(), MESHWORK);
    cache.onEvent(record("agent.status"));
    cache.onEvent(record("task.created"));
    assertThat(cache.get(key)).isNotNull();
    cache.onEvent(record("agent.added"));
    assertThat(cache.get(key)).isNull();

    cache.put(key, cache.generation(), MESHWORK);
    cache.onRevocation(record("member.revoked"));
    assertThat(cache.get(key)).isNull();
  }

  @Test
  @DisplayName("an answer expires; a lifetime of 0 keeps nothing")
  void lifetime() {
    AtomicLong now = new AtomicLong(1_000);
    ScopeCache shortLived = new ScopeCache(30, now::get);
    shortLived.put("k", shortLived.generation(), MESHWORK);
    now.addAndGet(30);
    assertThat(shortLived.get("k")).isEqualTo(MESHWORK);
    now.addAndGet(1);
    assertThat(shortLived.get("k")).isNull();
    ScopeCache off = new ScopeCache(0);
    off.put("k", off.generation(), MESHWORK);
    assertThat(off.get("k")).isNull();
  }

  private static KafkaConsumerRecord<String, String> record(String type) {
    return new KafkaConsumerRecordImpl<>(new ConsumerRecord<>("mesh.events", 0, 0L, "mw-1",
        new JsonObject().put("type", type).put("meshwork", "mw-1").encode()));
  }
}
