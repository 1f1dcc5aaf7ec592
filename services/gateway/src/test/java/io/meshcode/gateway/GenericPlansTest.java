package io.meshcode.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.testkit.TestSchema;
import io.meshcode.testkit.TestServices;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's statements run as prepared statements, which PostgreSQL soon plans once for any
 * parameters (a generic plan). Such a plan must still find a key, a ticket or a session by its
 * index: resolving an owner key or a dashboard session runs on every request, and a plan that
 * scanned the accounts, api_keys, dashboard_tickets or dashboard_sessions table would make each
 * request cost as much as every key, account or sign-in the server holds.
 */
@DisplayName("Statements on the growing tables read by index in their generic plans")
class GenericPlansTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("gateway");

  private static final int ACCOUNTS = 20_000;
  private static final int KEYS = 20_000;
  private static final int SIGN_INS = 20_000;

  /**
   * One owner's account among the 20,000 of a shared server, holding 20,000 keys made over time,
   * all revoked but 10; a busy dashboard's tickets of the last hour (what the sweep on each mint
   * keeps) and sessions of the last 12 hours, 20,000 of each; with the tables' statistics taken.
   */
  @BeforeAll
  static void busyServer() {
    UUID owner = UUID.randomUUID();
    TestServices.await(schema.pool().query("""
        INSERT INTO accounts (id, name)
        SELECT CASE WHEN g = 0 THEN '%1$s'::uuid ELSE md5('%1$s' || g)::uuid END, 'account ' || g
          FROM generate_series(0, %2$d - 1) g
        """.formatted(owner, ACCOUNTS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO api_keys (id, account_id, key_hash, key_prefix, label, revoked_at)
        SELECT md5('%1$s key' || g)::uuid, '%1$s', sha256(('%1$s key' || g)::bytea), 'mc_own_', 'ci run ' || g,
               CASE WHEN g <= %2$d - 10 THEN now() END
          FROM generate_series(1, %2$d) g
        """.formatted(owner, KEYS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO dashboard_tickets (ticket_hash, kind, key_hash, expires_at, redeemed_at)
        SELECT sha256(('%1$s ticket' || g)::bytea), 'owner', sha256(('%1$s key' || g)::bytea),
               now() + interval '60 seconds' - g * interval '200 milliseconds', now() - g * interval '200 milliseconds'
          FROM generate_series(1, %2$d) g
        """.formatted(owner, SIGN_INS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO dashboard_sessions (session_hash, key_kind, key_hash, expires_at)
        SELECT sha256(('%1$s session' || g)::bytea), 'owner', sha256(('%1$s key' || g)::bytea), now() + interval '12 hours' - g * interval '2 seconds'
          FROM generate_series(1, %2$d) g
        """.formatted(owner, SIGN_INS)).execute());
    TestServices.await(schema.pool().query("ANALYZE accounts, api_keys, dashboard_tickets, dashboard_sessions").execute());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SELECT_ADMIN", "INSERT_KEY", "SELECT_KEYS", "REVOKE_KEY", "MARK_CLI_SEEN", "SELECT_CLI_SEEN"})
  @DisplayName("account and key statements: no table scan")
  void accounts(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) AccountRepository.class.getDeclaredField(statement).get(null));
  }

  @Test
  @DisplayName("the owner-key lookup of every request: no table scan")
  void ownerKeys() {
    assertNoTableScan(OwnerKeyLookups.SELECT_BY_KEYS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DELETE_OLD"})
  @DisplayName("ticket statements: no table scan")
  void tickets(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) TicketRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DELETE_OLD", "OPEN", "FIND", "END"})
  @DisplayName("dashboard session statements: no table scan")
  void sessions(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) DashboardSessions.class.getDeclaredField(statement).get(null));
  }

  private static void assertNoTableScan(String sql) {
    List<String> plan = schema.genericPlan(sql);
    assertThat(plan).as(String.join("\n", plan))
        .noneMatch(line -> line.matches(".*Seq Scan on (accounts|api_keys|dashboard_tickets|dashboard_sessions)\\b.*"));
  }
}
