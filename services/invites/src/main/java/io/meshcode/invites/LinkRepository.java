package io.meshcode.invites;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Links between two meshworks of one owner, so agents can address {@code other-meshwork/agent}.
 * A link is symmetric and stored once; each side hears of it with its own event.
 */
final class LinkRepository {

  static final String LINKED = "SELECT " + Meshwork.COLUMNS + """
        FROM meshwork_links l
        JOIN meshworks m ON m.id = CASE WHEN l.low_id = $1 THEN l.high_id ELSE l.low_id END
       WHERE l.low_id = $1 OR l.high_id = $1
       ORDER BY m.name
      """;

  static final String FIND_TARGET = "SELECT " + Meshwork.COLUMNS + """
        FROM meshworks m
       WHERE m.owner_account = $1 AND m.name = $2
      """;

  // PostgreSQL orders uuids itself: Java's UUID.compareTo compares signed longs and would disagree.
  private static final String INSERT = """
      INSERT INTO meshwork_links (low_id, high_id) VALUES (LEAST($1::uuid, $2::uuid), GREATEST($1::uuid, $2::uuid))
      """;

  static final String DELETE = """
      DELETE FROM meshwork_links WHERE low_id = LEAST($1::uuid, $2::uuid) AND high_id = GREATEST($1::uuid, $2::uuid)
      """;

  private final Pool pool;

  LinkRepository(Pool pool) {
    this.pool = pool;
  }

  /** The meshworks linked to {@code meshwork}, by name. */
  static Future<List<Meshwork>> linked(SqlClient client, UUID meshwork) {
    return client.preparedQuery(LINKED).execute(Tuple.of(meshwork)).map(rows -> {
      List<Meshwork> linked = new ArrayList<>();
      rows.forEach(row -> linked.add(Meshwork.from(row)));
      return linked;
    });
  }

  Future<List<String>> names(Meshwork meshwork) {
    return linked(pool, meshwork.id()).map(linked -> linked.stream().map(Meshwork::name).toList());
  }

  Future<Void> link(Meshwork meshwork, String targetName) {
    if (targetName.equals(meshwork.name())) {
      return Future.failedFuture(ApiException.badRequest("'target' must name another meshwork: a meshwork cannot link to itself"));
    }
    return pool.withTransaction(conn -> target(conn, meshwork, targetName)
            .compose(target -> conn.preparedQuery(INSERT).execute(Tuple.of(meshwork.id(), target.id()))
                .compose(inserted -> linkEvents(conn, MembershipEvents.MESHWORK_LINKED, meshwork, target))))
        .recover(failure -> {
          if (Sql.hasState(failure, Sql.UNIQUE_VIOLATION)) {
            return Future.failedFuture(ApiException.conflict("'" + meshwork.name() + "' and '" + targetName + "' are already linked"));
          }
          if (Sql.hasState(failure, Sql.FOREIGN_KEY_VIOLATION)) {
            return Future.failedFuture(ApiException.notFound("no meshwork named '" + targetName + "'"));
          }
          return Future.failedFuture(failure);
        });
  }

  Future<Void> unlink(Meshwork meshwork, String targetName) {
    return pool.withTransaction(conn -> target(conn, meshwork, targetName)
        .compose(target -> conn.preparedQuery(DELETE).execute(Tuple.of(meshwork.id(), target.id()))
            .compose(deleted -> deleted.rowCount() == 0
                ? Future.failedFuture(ApiException.notFound("'" + meshwork.name() + "' is not linked to '" + targetName + "'"))
                : linkEvents(conn, MembershipEvents.MESHWORK_UNLINKED, meshwork, target))));
  }

  /** Tells {@code other} that {@code gone}, once linked to it, was deleted. */
  static Future<Void> unlinkedEvents(SqlConnection conn, Meshwork gone, Meshwork other) {
    return MembershipEvents.record(conn, MembershipEvents.MESHWORK_UNLINKED, other.id(), null,
        new JsonObject().put("target", gone.name()).put("target_id", gone.id().toString()));
  }

  private static Future<Meshwork> target(SqlConnection conn, Meshwork meshwork, String targetName) {
    return conn.preparedQuery(FIND_TARGET).execute(Tuple.of(meshwork.ownerAccount(), targetName)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(ApiException.notFound("no meshwork named '" + targetName + "'"))
        : Future.succeededFuture(Meshwork.from(rows.iterator().next())));
  }

  private static Future<Void> linkEvents(SqlConnection conn, String type, Meshwork a, Meshwork b) {
    return MembershipEvents.record(conn, type, a.id(), null, new JsonObject().put("target", b.name()).put("target_id", b.id().toString()))
        .compose(v -> MembershipEvents.record(conn, type, b.id(), null,
            new JsonObject().put("target", a.name()).put("target_id", a.id().toString())));
  }
}
