package io.meshcode.core.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What one service does on Kafka: the topics it writes (through its outbox), the consumer groups
 * it reads in and their topics, and the topics it tails (every partition from the end, with no
 * group). Each service declares it once, and it is the single source of two things: the code
 * keeps to it (the outbox relay, the group consumers and the tails refuse anything else, so a
 * test of a service that strays fails), and the ACLs of the service's Kafka user are derived from
 * it ({@link #aclBindings}; infra/k8s checks its KafkaUsers against them).
 */
public record KafkaAccess(Set<String> writes, Map<String, Set<String>> groups, Set<String> tails) {

  public static final KafkaAccess NONE = new KafkaAccess(Set.of(), Map.of(), Set.of());

  public KafkaAccess {
    writes = Set.copyOf(writes);
    groups = Map.copyOf(groups);
    tails = Set.copyOf(tails);
  }

  public KafkaAccess writing(String... topics) {
    Set<String> more = new LinkedHashSet<>(writes);
    more.addAll(List.of(topics));
    return new KafkaAccess(more, groups, tails);
  }

  public KafkaAccess readingInGroup(String group, String... topics) {
    Map<String, Set<String>> more = new LinkedHashMap<>(groups);
    more.put(group, Set.of(topics));
    return new KafkaAccess(writes, more, tails);
  }

  public KafkaAccess tailing(String... topics) {
    Set<String> more = new LinkedHashSet<>(tails);
    more.addAll(List.of(topics));
    return new KafkaAccess(writes, groups, more);
  }

  /** Every topic the service touches: the ones it makes sure exist at start. */
  public List<String> topics() {
    Set<String> all = new LinkedHashSet<>(writes);
    groups.values().forEach(all::addAll);
    all.addAll(tails);
    return sorted(all);
  }

  /** Fails unless the service declared writing {@code topic}. */
  public void requireWrite(String topic) {
    if (!writes.contains(topic)) {
      throw new IllegalStateException("writes to " + topic + " are not declared (it writes " + sorted(writes) + ")");
    }
  }

  /** Fails unless the service declared reading {@code topics} in {@code group}. */
  public void requireGroup(String group, Set<String> topics) {
    Set<String> declared = groups.get(group);
    if (declared == null || !declared.containsAll(topics)) {
      throw new IllegalStateException("reading " + sorted(topics) + " in group " + group + " is not declared (its groups: " + groups + ")");
    }
  }

  /** Fails unless the service declared tailing {@code topic}. */
  public void requireTail(String topic) {
    if (!tails.contains(topic)) {
      throw new IllegalStateException("tailing " + topic + " is not declared (it tails " + sorted(tails) + ")");
    }
  }

  /**
   * The ACLs a Kafka user needs for this and nothing more: Write on each written topic, Read on
   * each topic read or tailed, Read on each group. Read and Write imply Describe, which the topic
   * set-up at start (list, and create only what is missing) and the clients' metadata need; the
   * idempotent producer needs no cluster ACL when it may write a topic (KIP-679).
   */
  public List<AclBinding> aclBindings(String principal) {
    List<AclBinding> acls = new ArrayList<>();
    Set<String> read = new LinkedHashSet<>();
    groups.values().forEach(read::addAll);
    read.addAll(tails);
    for (String topic : topics()) {
      if (writes.contains(topic)) {
        acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.WRITE));
      }
      if (read.contains(topic)) {
        acls.add(allow(principal, ResourceType.TOPIC, topic, AclOperation.READ));
      }
    }
    groups.keySet().stream().sorted().forEach(group -> acls.add(allow(principal, ResourceType.GROUP, group, AclOperation.READ)));
    return acls;
  }

  private static AclBinding allow(String principal, ResourceType type, String name, AclOperation operation) {
    return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted().toList();
  }
}
