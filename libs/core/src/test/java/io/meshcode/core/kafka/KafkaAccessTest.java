package io.meshcode.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What a service declares doing on Kafka")
class KafkaAccessTest {

  private static final KafkaAccess BUS_LIKE = KafkaAccess.NONE
      .writing(Topics.MESSAGES, Topics.LOG)
      .readingInGroup("bus-replay-log", Topics.EVENTS)
      .tailing(Topics.AUTH);

  @Test
  @DisplayName("lists every topic it touches, once")
  void topics() {
    assertThat(BUS_LIKE.topics()).containsExactlyInAnyOrder(Topics.MESSAGES, Topics.LOG, Topics.EVENTS, Topics.AUTH);
    assertThat(KafkaAccess.NONE.writing(Topics.EVENTS).readingInGroup("g", Topics.EVENTS).topics()).containsExactly(Topics.EVENTS);
  }

  @Test
  @DisplayName("refuses a write, a group or a tail it did not declare, naming what it declared")
  void refusesTheUndeclared() {
    BUS_LIKE.requireWrite(Topics.MESSAGES);
    BUS_LIKE.requireGroup("bus-replay-log", Set.of(Topics.EVENTS));
    BUS_LIKE.requireTail(Topics.AUTH);
    assertThatThrownBy(() -> BUS_LIKE.requireWrite(Topics.AUTH))
        .hasMessage("writes to mesh.auth are not declared (it writes [mesh.log, mesh.messages])");
    assertThatThrownBy(() -> BUS_LIKE.requireGroup("bus-replay-log", Set.of(Topics.AUTH)))
        .hasMessageStartingWith("reading [mesh.auth] in group bus-replay-log is not declared");
    assertThatThrownBy(() -> BUS_LIKE.requireGroup("other", Set.of(Topics.EVENTS))).hasMessageContaining("group other");
    assertThatThrownBy(() -> BUS_LIKE.requireTail(Topics.EVENTS)).hasMessage("tailing mesh.events is not declared (it tails [mesh.auth])");
  }

  @Test
  @DisplayName("derives exactly the ACLs it needs: Write on what it writes, Read on what it reads or tails, Read on its groups")
  void aclBindings() {
    List<String> acls = BUS_LIKE.aclBindings("User:meshcode-bus").stream().map(KafkaAccessTest::describe).toList();
    assertThat(acls).containsExactlyInAnyOrder(
        "TOPIC mesh.messages WRITE", "TOPIC mesh.log WRITE", "TOPIC mesh.events READ", "TOPIC mesh.auth READ",
        "GROUP bus-replay-log READ");
    assertThat(BUS_LIKE.aclBindings("User:meshcode-bus")).allSatisfy(acl -> {
      assertThat(acl.entry().principal()).isEqualTo("User:meshcode-bus");
      assertThat(acl.entry().host()).isEqualTo("*");
      assertThat(acl.pattern().patternType().name()).isEqualTo("LITERAL");
    });
    assertThat(KafkaAccess.NONE.aclBindings("User:x")).isEmpty();
  }

  private static String describe(AclBinding acl) {
    return acl.pattern().resourceType() + " " + acl.pattern().name() + " " + acl.entry().operation();
  }
}
