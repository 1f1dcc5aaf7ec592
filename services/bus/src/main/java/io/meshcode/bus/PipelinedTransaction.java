package io.meshcode.bus;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A transaction sent to PostgreSQL in one round trip: BEGIN, the statements and COMMIT are issued
 * together, so the connection pipelines them, and PostgreSQL runs them in the order issued. Row
 * locks taken by the first statements are therefore held only while the rest run, not across a
 * round trip to the service (as long as they fit the connection's pipelining limit, 256).
 *
 * <p>If a statement fails, PostgreSQL ignores the ones after it and turns the COMMIT into a
 * rollback, so the transaction stores nothing. Whatever must happen in it has to be one of the
 * statements: nothing can be issued after the COMMIT has been.
 */
final class PipelinedTransaction {

  private PipelinedTransaction() {}

  /**
   * Runs the statements {@code issue} starts on {@code conn} (each issued at once, in order) between
   * BEGIN and COMMIT; fails with the first statement's failure, in the order they ran.
   */
  static Future<Void> run(SqlConnection conn, Function<SqlConnection, List<? extends Future<?>>> issue) {
    List<Future<?>> steps = new ArrayList<>();
    steps.add(conn.query("BEGIN").execute());
    steps.addAll(issue.apply(conn));
    steps.add(conn.query("COMMIT").execute());
    return Future.join(steps).transform(done -> done.succeeded()
        ? Future.<Void>succeededFuture()
        : Future.<Void>failedFuture(firstFailure(steps)));
  }

  /** What went wrong first: the statements after it fail only because the transaction was aborted. */
  private static Throwable firstFailure(List<Future<?>> steps) {
    return steps.stream().filter(Future::failed).findFirst().map(Future::cause).orElseThrow();
  }
}
