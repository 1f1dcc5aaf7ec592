package io.meshcode.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for sends: sends that arrive while a transaction of sends is open wait for it to
 * end, then share the next one — one commit, and one hold of each meshwork's inbox-position lock,
 * for all of them. A send that finds nothing open starts its own transaction at once, so a lone
 * send waits for nobody.
 *
 * <p>A send is answered only after the transaction holding it has committed, so "accepted means
 * durable" is unchanged. If a group's transaction fails, each of its sends is tried again alone,
 * so one bad send fails only itself.
 */
final class SendGroups<T> {

  /** The most sends one transaction takes. */
  static final int MAX_GROUP = 64;

  private static final Logger LOG = LoggerFactory.getLogger(SendGroups.class);

  /** One send's writes, run on the group's connection inside its transaction. */
  interface Writes<T> {
    Future<T> on(SqlConnection conn);
  }

  private record Pending<T>(Writes<T> writes, Promise<T> result) {}

  private final Pool pool;
  private final ArrayDeque<Pending<T>> waiting = new ArrayDeque<>();
  private boolean open;

  SendGroups(Pool pool) {
    this.pool = pool;
  }

  /** Runs {@code writes} in the next group's transaction; completes once that has committed. */
  synchronized Future<T> submit(Writes<T> writes) {
    Promise<T> result = Promise.promise();
    waiting.add(new Pending<>(writes, result));
    if (!open) {
      startGroup();
    }
    return result.future();
  }

  private synchronized void startGroup() {
    if (waiting.isEmpty()) {
      open = false;
      return;
    }
    open = true;
    List<Pending<T>> group = new ArrayList<>(Math.min(waiting.size(), MAX_GROUP));
    while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
      group.add(waiting.poll());
    }
    commit(group).onComplete(done -> startGroup());
  }

  /** The group in one transaction; on failure each send alone. Always succeeds: each send's promise carries its own outcome. */
  private Future<Void> commit(List<Pending<T>> group) {
    List<Future<T>> accepted = new ArrayList<>(group.size());
    return pool.withTransaction(conn -> {
      // Issued together: the connection pipelines the statements, in this order, in one transaction.
      group.forEach(pending -> accepted.add(pending.writes().on(conn)));
      return Future.all(accepted);
    }).transform(outcome -> {
      if (outcome.succeeded()) {
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result().complete(accepted.get(i).result());
        }
        return Future.succeededFuture();
      }
      if (group.size() == 1) {
        group.get(0).result().fail(outcome.cause());
        return Future.succeededFuture();
      }
      LOG.debug("a group of {} sends failed ({}); trying each alone", group.size(), outcome.cause().toString());
      List<Future<Void>> alone = group.stream().map(pending -> commit(List.of(pending))).toList();
      return Future.join(alone).mapEmpty();
    });
  }
}
