package io.meshcode.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.core.config.EnvConfig;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.GroupConsumer;
import io.meshcode.core.kafka.KafkaAccess;
import io.meshcode.core.kafka.KafkaClients;
import io.meshcode.core.kafka.KafkaSettings;
import io.meshcode.embedded.EmbeddedKafka;
import io.vertx.core.Future;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ACLs {@link KafkaAccess#aclBindings} derives (those the KafkaUsers of infra/k8s hold) on a
 * broker that denies what no ACL allows: everything a service's clients do with what it declared
 * works, from the topic set-up at start to a group's commits and a tail from the end, and a step
 * outside it is denied.
 */
@DisplayName("A Kafka user with only the ACLs derived from its KafkaAccess")
class KafkaAclTest {

  @RegisterExtension
  static final SecuredKafka KAFKA = SecuredKafka.perClass("kafka-acl", () -> EmbeddedKafka.Security.saslPlaintext(true), Map::of);

  @Test
  @DisplayName("sets up its topics, writes, reads in its group with commits and tails from the end; writing elsewhere or another group is denied")
  void derivedAclsSuffice() throws Exception {
    String id = Ids.newId();
    String written = "acl-written-" + id;
    String read = "acl-read-" + id;
    String tailed = "acl-tailed-" + id;
    String group = "acl-group-" + id;
    KafkaAccess access = KafkaAccess.NONE.writing(written).readingInGroup(group, read).tailing(tailed);
    String user = "meshcode-" + id.substring(0, 8);
    KAFKA.users().create(user, "its-password");
    KAFKA.users().allow(access.aclBindings("User:" + user));
    // As Strimzi's topic operator would: the topics exist before the service starts.
    KafkaSettings superUser = KafkaSettings.from(new EnvConfig(KAFKA.users().environment(EmbeddedKafka.ADMIN, KAFKA.broker().adminPassword())));
    KafkaAdminClient superAdmin = KafkaClients.admin(KAFKA.vertx(), superUser, "acl-super-admin");
    KafkaProducer<String, String> superProducer = KafkaClients.producer(KAFKA.vertx(), superUser, "acl-super");
    TestServices.await(KafkaClients.ensureTopics(superAdmin, superUser, List.of(written, read, tailed)));

    KafkaSettings settings = KafkaSettings.from(new EnvConfig(KAFKA.users().environment(user, "its-password")));
    KafkaAdminClient admin = KafkaClients.admin(KAFKA.vertx(), settings, user + "-admin");
    KafkaProducer<String, String> producer = KafkaClients.producer(KAFKA.vertx(), settings, user);
    KafkaConsumer<String, String> tail = KafkaClients.tailer(KAFKA.vertx(), settings, user + "-tail");
    CompletableFuture<String> consumed = new CompletableFuture<>();
    GroupConsumer consumer = new GroupConsumer(KAFKA.vertx(), settings, access, admin, user + "-group", group, Set.of(read), "the ACL test",
        records -> {
          consumed.complete(records.recordAt(0).value());
          return Future.succeededFuture();
        });
    try {
      // What ServiceVerticle does at start, and on every readiness probe.
      TestServices.await(KafkaClients.ensureTopics(admin, settings, access.topics()));
      TestServices.await(admin.describeCluster());

      TestServices.await(producer.send(KafkaProducerRecord.create(written, "meshwork-1", "written")));

      KAFKA.vertx().runOnContext(v -> consumer.start());
      TestServices.await(superProducer.send(KafkaProducerRecord.create(read, "meshwork-1", "for the group")));
      assertThat(consumed.get(30, TimeUnit.SECONDS)).isEqualTo("for the group");
      // Committed by the user in its group; read by the super user.
      Eventually.equalTo(() -> TestServices.await(superAdmin.listConsumerGroupOffsets(group)).values().stream()
          .mapToLong(offset -> offset.getOffset()).sum(), 1L);

      // What the gateway's TopicTail does.
      CompletableFuture<String> tailedValue = new CompletableFuture<>();
      tail.handler(record -> tailedValue.complete(record.value()));
      Set<TopicPartition> partitions = TestServices.await(tail.partitionsFor(tailed)).stream()
          .map(p -> new TopicPartition(p.getTopic(), p.getPartition())).collect(Collectors.toSet());
      TestServices.await(tail.assign(partitions).compose(v -> tail.seekToEnd(partitions)));
      // seekToEnd is lazy: resolve the end now, before the record below is there.
      TestServices.await(Future.all(partitions.stream().map(tail::position).toList()));
      TestServices.await(superProducer.send(KafkaProducerRecord.create(tailed, "meshwork-1", "tailed")));
      assertThat(tailedValue.get(30, TimeUnit.SECONDS)).isEqualTo("tailed");

      assertThat(failure(producer.send(KafkaProducerRecord.create(read, "meshwork-1", "not mine"))))
          .isInstanceOf(TopicAuthorizationException.class);
      KafkaConsumer<String, String> stranger = KafkaClients.consumer(KAFKA.vertx(), settings, user + "-stranger", "another-" + group);
      try {
        assertThat(failure(stranger.subscribe(read).compose(v -> stranger.poll(Duration.ofSeconds(5)))))
            .isInstanceOf(GroupAuthorizationException.class);
      } finally {
        TestServices.await(stranger.close());
      }
    } finally {
      Future<Void> stopped = Future.future(promise -> KAFKA.vertx().runOnContext(v -> consumer.stop().onComplete(promise)));
      TestServices.await(stopped.eventually(() -> Future.join(tail.close(), producer.close(), admin.close(),
          superProducer.close(), superAdmin.close())));
    }
  }

  private static Throwable failure(Future<?> attempt) throws Exception {
    try {
      attempt.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("allowed, not denied");
  }
}
