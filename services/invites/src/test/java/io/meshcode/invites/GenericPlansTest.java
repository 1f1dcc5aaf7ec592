package io.meshcode.invites;

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
 * The invites service's statements run as prepared statements, which PostgreSQL soon plans once
 * for any parameters (a generic plan). Such a plan must still find a meshwork, a slot, an invite, a
 * member or a link by an index: revoked members and links, and used invites, stay for the record,
 * so a plan that scans their tables makes a request cost as much as everything the team ever did
 * (and one that scans the meshworks, as much as every meshwork on the server). Left out: the list
 * of invites, which answers every invite the meshwork ever issued.
 */
@DisplayName("Statements on the growing tables read by index in their generic plans")
class GenericPlansTest {

  @RegisterExtension
  static final TestSchema schema = TestSchema.perClass("invites");

  private static final int MESHWORKS = 20_000;
  private static final int SLOTS = 200;
  private static final int JOINED = 20_000;
  private static final int LINKS = 2_000;

  /**
   * A team's meshwork, linked to two more of its owner's, among the 20,000 meshworks of a shared
   * server. It has 200 agent slots, issued 20,000 invites, all used, to 20,000 members, all since
   * revoked but the last 200, and made 2,000 spectator links, all revoked but 5; with the tables'
   * statistics taken.
   */
  @BeforeAll
  static void longLivedTeam() {
    UUID team = UUID.randomUUID();
    TestServices.await(schema.pool().query("""
        INSERT INTO meshworks (id, owner_account, name)
        SELECT CASE WHEN g = 0 THEN '%1$s'::uuid ELSE md5('%1$s' || g)::uuid END,
               CASE WHEN g < 3 THEN 'owner-%1$s' ELSE 'account-' || md5('%1$s' || g %% 5000) END, 'mw-' || g
          FROM generate_series(0, %2$d - 1) g
        """.formatted(team, MESHWORKS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO meshwork_links (low_id, high_id)
        SELECT LEAST('%1$s'::uuid, md5('%1$s' || g)::uuid), GREATEST('%1$s'::uuid, md5('%1$s' || g)::uuid)
          FROM generate_series(1, 2) g
        """.formatted(team)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO agents (meshwork_id, name, role)
        SELECT '%1$s', 'agent-' || a, 'developer' FROM generate_series(1, %2$d) a
        UNION ALL
        SELECT md5('%1$s' || g)::uuid, 'lead', '' FROM generate_series(1, %3$d - 1) g
        """.formatted(team, SLOTS, MESHWORKS)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO invites (id, meshwork_id, agent, token_hash, token_prefix, expires_at, redeemed_at, redeemed_by)
        SELECT md5('%1$s invite' || g)::uuid, '%1$s', 'agent-' || 1 + g %% %2$d, sha256(('%1$s invite' || g)::bytea), 'mc_inv_',
               now() + interval '7 days', now(), md5('%1$s member' || g)::uuid
          FROM generate_series(1, %3$d) g
        """.formatted(team, SLOTS, JOINED)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO members (id, meshwork_id, agent, display_name, key_hash, key_prefix, invite_id, revoked_at)
        SELECT md5('%1$s member' || g)::uuid, '%1$s', 'agent-' || 1 + g %% %2$d, 'guest ' || g, sha256(('%1$s member' || g)::bytea),
               'mc_gst_', md5('%1$s invite' || g)::uuid, CASE WHEN g <= %3$d - %2$d THEN now() END
          FROM generate_series(1, %3$d) g
        """.formatted(team, SLOTS, JOINED)).execute());
    TestServices.await(schema.pool().query("""
        INSERT INTO spectator_links (id, meshwork_id, token_hash, token_prefix, revoked_at)
        SELECT md5('%1$s link' || g)::uuid, '%1$s', sha256(('%1$s link' || g)::bytea), 'mc_spc_', CASE WHEN g > 5 THEN now() END
          FROM generate_series(1, %2$d) g
        """.formatted(team, LINKS)).execute());
    TestServices.await(schema.pool().query("ANALYZE meshworks, meshwork_links, agents, invites, members, spectator_links").execute());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FIND_OWNED", "LIST_OWNED", "FIND_FOR_GUEST", "FIND_FOR_SPECTATOR", "AGENT_SUMMARIES", "LOCK",
      "LIVE_MEMBERS", "LIVE_SPECTATOR_LINKS", "DELETE"})
  @DisplayName("meshwork statements: no table scan")
  void meshworks(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) MeshworkRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LINKED", "FIND_TARGET", "DELETE"})
  @DisplayName("meshwork link statements: no table scan")
  void links(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) LinkRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LIST", "FIND", "ADDRESS_BOOK", "UPDATE", "DELETE", "REVOKE_MEMBERS", "REVOKE_INVITES"})
  @DisplayName("agent slot statements: no table scan")
  void agents(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) AgentRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LOCK_MESHWORK", "LOCK_SLOT", "REVOKE", "FIND"})
  @DisplayName("invite statements: no table scan")
  void invites(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) InviteRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"FIND", "LOCK_MESHWORK", "LOCK_SLOT", "REDEEM", "WHY_NOT", "SET_ROLE"})
  @DisplayName("join statements: no table scan")
  void joins(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) JoinRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LIST", "REVOKE", "RESOLVE", "TOUCH"})
  @DisplayName("member statements: no table scan")
  void members(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) MemberRepository.class.getDeclaredField(statement).get(null));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LIST", "REVOKE", "RESOLVE"})
  @DisplayName("spectator link statements: no table scan")
  void spectatorLinks(String statement) throws ReflectiveOperationException {
    assertNoTableScan((String) SpectatorRepository.class.getDeclaredField(statement).get(null));
  }

  private static void assertNoTableScan(String sql) {
    List<String> plan = schema.genericPlan(sql);
    assertThat(plan).as(String.join("\n", plan))
        .noneMatch(line -> line.matches(".*Seq Scan on (meshworks|agents|invites|members|spectator_links)\\b.*"));
  }
}
