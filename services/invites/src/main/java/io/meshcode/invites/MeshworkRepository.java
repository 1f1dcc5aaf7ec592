package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Meshworks: making, finding within a caller's reach, listing and deleting them. */
final class MeshworkRepository {

  private static final String INSERT = """
      INSERT INTO meshworks (id, owner_account, name, description) VALUES ($1, $2, $3, $4)
      RETURNING created_at
      """;

  static final String FIND_OWNED = "SELECT " + Meshwork.COLUMNS + """
        FROM meshworks m
       WHERE m.owner_account = $1 AND m.name = $2
      """;

  static final String LIST_OWNED = "SELECT " + Meshwork.COLUMNS + """
        FROM meshworks m
       WHERE m.owner_account = $1
       ORDER BY m.name
      """;

  // A guest reaches its meshwork only while its membership stands, even with a token minted earlier.
  static final String FIND_FOR_GUEST = "SELECT " + Meshwork.COLUMNS + """
        FROM meshworks m JOIN members mb ON mb.meshwork_id = m.id
       WHERE m.id = $1 AND mb.id = $2 AND mb.revoked_at IS NULL
      """;

  static final String FIND_FOR_SPECTATOR = "SELECT " + Meshwork.COLUMNS + """
        FROM meshworks m JOIN spectator_links s ON s.meshwork_id = m.id
       WHERE m.id = $1 AND s.id = $2 AND s.revoked_at IS NULL AND (s.expires_at IS NULL OR s.expires_at > now())
      """;

  static final String AGENT_SUMMARIES = """
      SELECT meshwork_id, name, role FROM agents WHERE meshwork_id = ANY($1) ORDER BY created_at, name
      """;

  // Waits for a join in flight (it holds a key-share lock), so the revocations below miss no member.
  static final String LOCK = """
      SELECT name FROM meshworks WHERE id = $1 FOR UPDATE
      """;

  static final String LIVE_MEMBERS = """
      SELECT id FROM members WHERE meshwork_id = $1 AND revoked_at IS NULL
      """;

  static final String LIVE_SPECTATOR_LINKS = """
      SELECT id FROM spectator_links WHERE meshwork_id = $1 AND revoked_at IS NULL
      """;

  static final String DELETE = """
      DELETE FROM meshworks WHERE id = $1
      """;

  private final Pool pool;

  MeshworkRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Meshwork> create(String owner, String name, String description) {
    UUID id = Ids.newUuid();
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.of(id, owner, name, description))
            .map(rows -> new Meshwork(id, owner, name, description, Sql.instant(rows.iterator().next(), "created_at")))
            .compose(meshwork -> MembershipEvents.record(conn, MembershipEvents.MESHWORK_CREATED, id, null,
                    new JsonObject().put("name", name).put("description", description))
                .map(meshwork)))
        .recover(failure -> Sql.hasState(failure, Sql.UNIQUE_VIOLATION)
            ? Future.failedFuture(ApiException.conflict("you already have a meshwork named '" + name + "'"))
            : Future.failedFuture(failure));
  }

  Future<Optional<Meshwork>> findOwned(String owner, String name) {
    return pool.preparedQuery(FIND_OWNED).execute(Tuple.of(owner, name)).map(MeshworkRepository::first);
  }

  Future<Optional<Meshwork>> findForGuest(UUID meshwork, UUID member) {
    return pool.preparedQuery(FIND_FOR_GUEST).execute(Tuple.of(meshwork, member)).map(MeshworkRepository::first);
  }

  Future<Optional<Meshwork>> findForSpectator(UUID meshwork, UUID link) {
    return pool.preparedQuery(FIND_FOR_SPECTATOR).execute(Tuple.of(meshwork, link)).map(MeshworkRepository::first);
  }

  Future<List<Meshwork>> listOwned(String owner) {
    return pool.preparedQuery(LIST_OWNED).execute(Tuple.of(owner)).map(rows -> {
      List<Meshwork> meshworks = new ArrayList<>();
      rows.forEach(row -> meshworks.add(Meshwork.from(row)));
      return meshworks;
    });
  }

  /** Each meshwork as JSON with its agents' names and roles, in the order given. */
  Future<JsonArray> withAgents(List<Meshwork> meshworks) {
    if (meshworks.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    Map<UUID, JsonArray> agents = new LinkedHashMap<>();
    meshworks.forEach(meshwork -> agents.put(meshwork.id(), new JsonArray()));
    UUID[] ids = agents.keySet().toArray(new UUID[0]);
    return pool.preparedQuery(AGENT_SUMMARIES).execute(Tuple.of((Object) ids)).map(rows -> {
      for (Row row : rows) {
        agents.get(row.getUUID("meshwork_id")).add(new JsonObject().put("name", row.getString("name")).put("role", row.getString("role")));
      }
      JsonArray result = new JsonArray();
      meshworks.forEach(meshwork -> result.add(meshwork.toJson(agents.get(meshwork.id()))));
      return result;
    });
  }

  /**
   * Deletes the meshwork and everything under it. The event names the members and spectator
   * links it ends, so gateways can drop them without a lookup; linked meshworks hear of the unlink.
   */
  Future<Void> delete(Meshwork meshwork) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK).execute(Tuple.of(meshwork.id()))
        .compose(locked -> {
          if (locked.size() == 0) {
            return Future.failedFuture(ApiException.notFound("no meshwork named '" + meshwork.name() + "'"));
          }
          return Future.all(ids(conn, LIVE_MEMBERS, meshwork.id()), ids(conn, LIVE_SPECTATOR_LINKS, meshwork.id()),
                  LinkRepository.linked(conn, meshwork.id()))
              .compose(found -> conn.preparedQuery(DELETE).execute(Tuple.of(meshwork.id()))
                  .compose(deleted -> MembershipEvents.revocation(conn, MembershipEvents.MESHWORK_DELETED, meshwork.id(), null,
                      new JsonObject()
                          .put("name", meshwork.name())
                          .put("member_ids", found.resultAt(0))
                          .put("spectator_link_ids", found.resultAt(1))))
                  .compose(v -> Sql.each(found.<List<Meshwork>>resultAt(2),
                      other -> LinkRepository.unlinkedEvents(conn, meshwork, other))));
        }));
  }

  private static Future<JsonArray> ids(SqlConnection conn, String sql, UUID meshwork) {
    return conn.preparedQuery(sql).execute(Tuple.of(meshwork)).map(rows -> {
      JsonArray ids = new JsonArray();
      rows.forEach(row -> ids.add(row.getUUID("id").toString()));
      return ids;
    });
  }

  private static Optional<Meshwork> first(Iterable<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(Meshwork.from(it.next())) : Optional.empty();
  }
}
