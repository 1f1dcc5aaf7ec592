package io.meshcode.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory service's statements run as prepared statements, which PostgreSQL soon plans once
 * for any parameters (a generic plan). Such a plan must still find one agent's memories, or one
 * meshwork's scratchpad, by its index: a plan that scans the memories or scratchpad_entries table
 * makes every request cost as much as everything stored on the server.
 */
@DisplayName("Statements on the growing tables read by index in their generic plans")
class GenericPlansTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("memory");

  private static final int AGENTS = 200;
  private static final int SCRATCHPADS = 100;

  /**
   * One team's meshwork whose 200 agents each keep the most memories allowed (20,000), and, as a
   * scratchpad holds at most 200 keys, 100 meshworks' full scratchpads (20,000 entries), with the
   * tables' statistics taken.
   */
  @BeforeAll
  static void fullMemories() {
    UUID meshwork = UUID.randomUUID();
    TestServices.await(schema.pool().query("""
        INSERT INTO memory_spaces (meshwork_id, agent, last_version)
        SELECT '%1$s', 'agent-' || a, %2$d FROM generate_series(1, %3$d) a
        """.formatted(meshwork, MemoryRepository.MAX_KEYS, AGENTS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO memories (meshwork_id, agent, key, value, size, version, updated_by)
        SELECT '%1$s', 'agent-' || a, 'note-' || k, 'remember ' || k, 10, k, 'agent-' || a
          FROM generate_series(1, %3$d) a, generate_series(1, %2$d) k
        """.formatted(meshwork, MemoryRepository.MAX_KEYS, AGENTS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO scratchpad_spaces (meshwork_id, last_version)
        SELECT md5('%1$s' || m)::uuid, %2$d FROM generate_series(1, %3$d) m
        """.formatted(meshwork, ScratchpadRepository.MAX_KEYS, SCRATCHPADS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO scratchpad_entries (meshwork_id, key, value, size, version, updated_by)
        SELECT md5('%1$s' || m)::uuid, 'plan-' || k, 'step ' || k, 6, k, 'agent-1'
          FROM generate_series(1, %3$d) m, generate_series(1, %2$d) k
        """.formatted(meshwork, ScratchpadRepository.MAX_KEYS, SCRATCHPADS)).execute());
    TestServices.await(schema.pool().query("ANALYZE memory_spaces, memories, scratchpad_spaces, scratchpad_entries").execute());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"COUNT_KEYS", "UPSERT", "FIND", "LIST", "DELETE", "COUNT_OF_AGENT"})
  @DisplayName("memory statements: no table scan")
  void memories(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) MemoryRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"COUNT_KEYS", "UPSERT", "FIND", "LIST", "DELETE", "COUNT"})
  @DisplayName("scratchpad statements: no table scan")
  void scratchpad(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) ScratchpadRepository.class.getDeclaredField(statement).get(null));
  }

  private static void assertNoTableScan(String sql) {
    List<String> plan = schema.genericPlan(sql);
    assertThat(plan).as(String.join("\n", plan))
        .noneMatch(line -> line.matches(".*Seq Scan on (memories|scratchpad_entries)\\b.*"));
  }
}
