package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.auth.SecretKeys;
import io.meshcode.core.db.Database;
import io.meshcode.gateway.AccountRepository.NewAccount;
import io.meshcode.gateway.AccountRepository.OwnerKey;
import io.meshcode.testkit.TestInfra;
import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Owner keys looked up together")
class OwnerKeyLookupsTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("gateway");

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, TestInfra.get().database(), "gateway");
  }

  @AfterAll
  static void stop() {
    TestServices.await(pool.close());
    TestServices.await(vertx.close());
  }

  /** What the lookups asked at once answered, and how many distinct keys waited after the first and after all were asked. */
  private record Asked(List<Optional<OwnerKey>> answers, int waitingAfterFirst, int waitingAfterAll) {}

  /** Asks for every key in {@code keys} at once on one context, as the gateway's requests do. */
  private static Asked askTogether(List<String> keys) {
    CompletableFuture<Asked> asked = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      OwnerKeyLookups lookups = new OwnerKeyLookups(pool);
      List<Future<Optional<OwnerKey>>> answers = new ArrayList<>();
      answers.add(lookups.find(SecretKeys.hash(keys.get(0))));
      int afterFirst = lookups.waiting();
      keys.subList(1, keys.size()).forEach(key -> answers.add(lookups.find(SecretKeys.hash(key))));
      int afterAll = lookups.waiting();
      Future.all(answers).onComplete(all -> {
        if (all.failed()) {
          asked.completeExceptionally(all.cause());
        } else {
          asked.complete(new Asked(answers.stream().map(Future::result).toList(), afterFirst, afterAll));
        }
      });
    });
    return asked.join();
  }

  @Test
  @DisplayName("lookups asked while the most queries are out wait for the next one, which answers each its own key: revoked and unknown keys find nothing")
  void sharedQuery() {
    AccountRepository accounts = new AccountRepository(schema.pool());
    NewAccount ada = TestServices.await(accounts.createAccount("ada"));
    NewAccount bob = TestServices.await(accounts.createAccount("bob"));
    AccountRepository.NewKey old = TestServices.await(accounts.createKey(bob.account().id(), "old"));
    assertThat(TestServices.await(accounts.revokeKey(bob.account().id(), old.id()))).isTrue();
    String revoked = old.key();
    String unknown = SecretKeys.generate(SecretKeys.OWNER);

    List<String> keys = new ArrayList<>();
    keys.add(ada.key().key());
    for (int i = 0; i < 20; i++) {
      keys.add(ada.key().key());
      keys.add(bob.key().key());
    }
    keys.add(revoked);
    keys.add(unknown);
    keys.add(revoked);
    Asked asked = askTogether(keys);

    assertThat(asked.waitingAfterFirst()).as("the first lookup goes out at once").isZero();
    // The first MAX_IN_FLIGHT lookups (ada, ada, bob, ada) go out alone; the rest wait for one more query.
    assertThat(OwnerKeyLookups.MAX_IN_FLIGHT).isEqualTo(4);
    assertThat(asked.waitingAfterAll()).as("one entry per distinct key").isEqualTo(4);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      Optional<OwnerKey> answer = asked.answers().get(i);
      if (key.equals(ada.key().key())) {
        assertThat(answer).get().extracting(found -> found.account().id()).isEqualTo(ada.account().id());
        assertThat(answer.get().keyId()).isEqualTo(ada.key().id());
      } else if (key.equals(bob.key().key())) {
        assertThat(answer).get().extracting(found -> found.account().name()).isEqualTo("bob");
      } else {
        assertThat(answer).as("key %d: revoked or unknown", i).isEmpty();
      }
    }
  }
}
