package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The agent slots of a meshwork. Removing one also ends the memberships and invites bound to it. */
final class AgentRepository {

  private static final String INSERT = """
      INSERT INTO agents (meshwork_id, name, role, launch_prompt) VALUES ($1, $2, $3, $4)
      RETURNING name, role, launch_prompt, created_at
      """;

  static final String LIST = """
      SELECT name, role, launch_prompt, created_at FROM agents WHERE meshwork_id = $1 ORDER BY created_at, name
      """;

  static final String FIND = """
      SELECT name, role, launch_prompt, created_at FROM agents WHERE meshwork_id = $1 AND name = $2
      """;

  // The sender's meshwork and, of the meshworks linked to it (a link is one row, either way round),
  // those named: each with its agents, oldest first; a meshwork without agents is one row, agent null.
  // Meshworks are fetched by id from that short list: a condition on id or name alone left the
  // generic plan a scan of every meshwork on the server, on every send.
  static final String ADDRESS_BOOK = """
      SELECT m.id, m.name, a.name AS agent
        FROM (SELECT $1::uuid AS id
               UNION
              SELECT CASE WHEN l.low_id = $1 THEN l.high_id ELSE l.low_id END
                FROM meshwork_links l
               WHERE l.low_id = $1 OR l.high_id = $1) reachable
        JOIN meshworks m ON m.id = reachable.id
        LEFT JOIN agents a ON a.meshwork_id = m.id
       WHERE m.id = $1 OR m.name = ANY($2)
       ORDER BY m.id, a.created_at, a.name
      """;

  static final String UPDATE = """
      UPDATE agents SET role = COALESCE($3, role), launch_prompt = COALESCE($4, launch_prompt)
       WHERE meshwork_id = $1 AND name = $2
      RETURNING name, role, launch_prompt, created_at
      """;

  // Deleting first takes the slot's row lock, which a join in flight holds: its new member is then visible below.
  static final String DELETE = """
      DELETE FROM agents WHERE meshwork_id = $1 AND name = $2
      """;

  static final String REVOKE_MEMBERS = """
      UPDATE members SET revoked_at = now()
       WHERE meshwork_id = $1 AND agent = $2 AND revoked_at IS NULL
      RETURNING id, display_name
      """;

  static final String REVOKE_INVITES = """
      UPDATE invites SET revoked_at = now()
       WHERE meshwork_id = $1 AND agent = $2 AND redeemed_at IS NULL AND revoked_at IS NULL
      RETURNING id
      """;

  private final Pool pool;

  AgentRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Agent> create(Meshwork meshwork, String name, String role, String launchPrompt) {
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.of(meshwork.id(), name, role, launchPrompt))
            .map(rows -> Agent.from(rows.iterator().next()))
            .compose(agent -> MembershipEvents.record(conn, MembershipEvents.AGENT_ADDED, meshwork.id(), name,
                    new JsonObject().put("name", name).put("role", role))
                .map(agent)))
        .recover(failure -> {
          if (Sql.hasState(failure, Sql.UNIQUE_VIOLATION)) {
            return Future.failedFuture(ApiException.conflict(
                "meshwork '" + meshwork.name() + "' already has an agent named '" + name + "'"));
          }
          if (Sql.hasState(failure, Sql.FOREIGN_KEY_VIOLATION)) {
            return Future.failedFuture(ApiException.notFound("no meshwork named '" + meshwork.name() + "'"));
          }
          return Future.failedFuture(failure);
        });
  }

  Future<List<Agent>> list(Meshwork meshwork) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork.id())).map(rows -> {
      List<Agent> agents = new ArrayList<>();
      rows.forEach(row -> agents.add(Agent.from(row)));
      return agents;
    });
  }

  Future<Agent> find(Meshwork meshwork, String name) {
    return pool.preparedQuery(FIND).execute(Tuple.of(meshwork.id(), name))
        .compose(rows -> single(rows, meshwork, name));
  }

  /** The agents of {@code meshwork} and of the meshworks linked to it among {@code linkedNames}. */
  Future<AddressBook> addressBook(Meshwork meshwork, Set<String> linkedNames) {
    return pool.preparedQuery(ADDRESS_BOOK).execute(Tuple.of(meshwork.id()).addArrayOfString(linkedNames.toArray(String[]::new)))
        .compose(rows -> AddressBook.from(meshwork.id(), Sql.rows(rows))
            .map(Future::succeededFuture)
            // The meshwork was deleted while the request ran.
            .orElseGet(() -> Future.failedFuture(Scope.notFound(meshwork.name()))));
  }

  /** Changes the fields given; an absent one keeps its value. */
  Future<Agent> update(Meshwork meshwork, String name, Optional<String> role, Optional<String> launchPrompt) {
    JsonArray changed = new JsonArray();
    role.ifPresent(r -> changed.add("role"));
    launchPrompt.ifPresent(p -> changed.add("launch_prompt"));
    return pool.withTransaction(conn -> conn.preparedQuery(UPDATE)
        .execute(Tuple.of(meshwork.id(), name, role.orElse(null), launchPrompt.orElse(null)))
        .compose(rows -> single(rows, meshwork, name))
        .compose(agent -> MembershipEvents.record(conn, MembershipEvents.AGENT_UPDATED, meshwork.id(), name,
                new JsonObject().put("name", name).put("role", agent.role()).put("changed", changed))
            .map(agent)));
  }

  Future<Void> remove(Meshwork meshwork, String name) {
    return pool.withTransaction(conn -> conn.preparedQuery(DELETE).execute(Tuple.of(meshwork.id(), name))
        .compose(deleted -> deleted.rowCount() == 0
            ? Future.failedFuture(notFound(meshwork, name))
            : revokeBoundTo(conn, meshwork, name)));
  }

  private static Future<Void> revokeBoundTo(SqlConnection conn, Meshwork meshwork, String name) {
    Tuple slot = Tuple.of(meshwork.id(), name);
    return conn.preparedQuery(REVOKE_MEMBERS).execute(slot).compose(members -> conn.preparedQuery(REVOKE_INVITES).execute(slot)
        .compose(invites -> {
          List<Row> memberRows = Sql.rows(members);
          JsonArray memberIds = new JsonArray(memberRows.stream().map(row -> row.getUUID("id").toString()).toList());
          return Sql.each(memberRows, row -> MembershipEvents.revocation(conn, MembershipEvents.MEMBER_REVOKED, meshwork.id(), name,
                  new JsonObject()
                      .put("member_id", row.getUUID("id").toString())
                      .put("display_name", row.getString("display_name"))
                      .put("reason", "agent removed")))
              .compose(v -> Sql.each(Sql.rows(invites), row -> MembershipEvents.record(conn, MembershipEvents.INVITE_REVOKED,
                  meshwork.id(), name, new JsonObject().put("invite_id", row.getUUID("id").toString()).put("reason", "agent removed"))))
              .compose(v -> MembershipEvents.revocation(conn, MembershipEvents.AGENT_REMOVED, meshwork.id(), name,
                  new JsonObject().put("name", name).put("member_ids", memberIds)));
        }));
  }

  private static Future<Agent> single(RowSet<Row> rows, Meshwork meshwork, String name) {
    return rows.size() == 0 ? Future.failedFuture(notFound(meshwork, name)) : Future.succeededFuture(Agent.from(rows.iterator().next()));
  }

  static ApiException notFound(Meshwork meshwork, String name) {
    return ApiException.notFound("meshwork '" + meshwork.name() + "' has no agent named '" + name + "'");
  }
}
