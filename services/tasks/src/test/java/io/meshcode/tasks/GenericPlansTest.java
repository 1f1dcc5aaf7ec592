package io.meshcode.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tasks service's statements run as prepared statements, which PostgreSQL soon plans once for
 * any parameters (a generic plan). Such a plan must still find one task, or one page of the board,
 * by an index: a plan that scans the tasks table makes every request cost as much as every task
 * the team ever made. A filtered page must go by the index on its filter too: a generic plan that
 * cannot know whether a filter is given reads the whole board to fill a page of one agent's tasks.
 */
@DisplayName("Statements on the growing tables read by index in their generic plans")
class GenericPlansTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("tasks");

  private static final int TASKS = 20_000;
  private static final int AGENTS = 20;

  /**
   * A long-lived team's board: 20,000 tasks, most of them done, two in three assigned to one of
   * its 20 agents, who each hold 50 live reservations; with the tables' statistics taken.
   */
  @BeforeAll
  static void longLivedBoard() {
    UUID meshwork = UUID.randomUUID();
    TestServices.await(schema.pool().query("""
        INSERT INTO tasks (id, meshwork_id, title, status, assignee, created_by)
        SELECT md5('%1$s' || g)::uuid, '%1$s', 'task ' || g,
               (ARRAY['done', 'done', 'done', 'done', 'done', 'done', 'cancelled', 'todo', 'in_progress', 'review'])[1 + g %% 10],
               CASE WHEN g %% 3 = 0 THEN NULL ELSE 'agent-' || g %% %3$d END, 'agent-' || g %% %3$d
          FROM generate_series(1, %2$d) g
        """.formatted(meshwork, TASKS, AGENTS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO reservations (meshwork_id, agent, path, reason, shared, expires_at)
        SELECT '%1$s', 'agent-' || a, 'src/module' || p || '/**', 'work', false, now() + interval '30 minutes'
          FROM generate_series(1, %2$d) a, generate_series(1, 50) p
        """.formatted(meshwork, AGENTS)).execute());
    TestServices.await(schema.pool().query("ANALYZE tasks, reservations").execute());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"INSERT", "FIND", "LOCK", "LIST", "LIST_BY_STATUS", "LIST_BY_ASSIGNEE", "LIST_BY_STATUS_AND_ASSIGNEE",
      "UPDATE", "DELETE"})
  @DisplayName("task statements: no table scan")
  void tasks(String statement) throws ReflectiveOperationException {
    assertNoTableScan(plan(TaskRepository.class, statement));
  }

  @ParameterizedTest(name = "{0} by {1}")
  @CsvSource({"LIST_BY_STATUS, status", "LIST_BY_ASSIGNEE, assignee", "LIST_BY_STATUS_AND_ASSIGNEE, status|assignee"})
  @DisplayName("a filtered page of the board: the filter is an index condition")
  void filteredPages(String statement, String filter) throws ReflectiveOperationException {
    List<String> plan = plan(TaskRepository.class, statement);
    assertThat(plan).as(String.join("\n", plan)).anyMatch(line -> line.matches(".*Index Cond: .*\\b(" + filter + ") = .*"));
  }

  /** Not LIVE_OF_OTHERS or LIST: they read the meshwork's live reservations, all of which a reserve has to check anyway. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"PURGE", "UPSERT", "COUNT_OWN", "RELEASE_SOME", "RELEASE_ALL", "SWEEP"})
  @DisplayName("reservation statements of one agent or of expired reservations: no table scan")
  void reservations(String statement) throws ReflectiveOperationException {
    assertNoTableScan(plan(ReservationRepository.class, statement));
  }

  private static void assertNoTableScan(List<String> plan) {
    assertThat(plan).as(String.join("\n", plan)).noneMatch(line -> line.matches(".*Seq Scan on (tasks|reservations)\\b.*"));
  }

  private static List<String> plan(Class<?> repository, String statement) throws ReflectiveOperationException {
    String sql = (String) repository.getDeclaredField(statement).get(null);
    List<String> plan = schema.genericPlan(sql);
    return plan;
  }
}
