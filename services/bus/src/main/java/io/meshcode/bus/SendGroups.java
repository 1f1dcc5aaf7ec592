package io.meshcode.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for sends: sends that arrive while a transaction of sends is open wait for it to
 * end, then share the next one — one commit, and one hold of each meshwork's inbox-position lock,
 * for all of them. A send that finds nothing open starts its own group at once, so a lone send
 * waits for nobody; a group of one whose statement takes its locks itself, in order, is that one
 * statement, without BEGIN, the group's locks and COMMIT around it.
 *
 * <p>A send is answered only after the transaction holding it has committed, so "accepted means
 * durable" is unchanged. If a group's transaction fails, each of its sends is tried again alone,
 * so one bad send fails only itself.
 *
 * <p>Each send names the meshworks whose rows it will lock; a group's transaction first takes
 * all of them, in one order (by id), before any send's writes. Every group, and every lone
 * writer that locks in id order, then waits for the others in the same order, so two groups on
 * two replicas — A then B in one, B then A in the other — never wait on each other in a circle.
 */
final class SendGroups<T> {

  /** The most sends one transaction takes. */
  static final int MAX_GROUP = 64;

  private static final Logger LOG = LoggerFactory.getLogger(SendGroups.class);

  /**
   * One send's writes: one statement, run on the group's connection inside its transaction, and
   * what its rows answer. {@code locksInOrder}: the statement itself takes every row it writes that
   * another group may write too, in the order {@code lockInOrder} takes them, so alone it can be its
   * own transaction.
   */
  record Statement<T>(String sql, Tuple params, Function<RowSet<Row>, T> answer, boolean locksInOrder) {

    /** A statement that relies on the group's locks. */
    Statement(String sql, Tuple params, Function<RowSet<Row>, T> answer) {
      this(sql, params, answer, false);
    }
  }

  private record Pending<T>(Set<UUID> locks, Statement<T> statement, Promise<T> result) {}

  private final Pool pool;
  private final BiFunction<SqlConnection, List<UUID>, Future<?>> lockInOrder;
  private final ArrayDeque<Pending<T>> waiting = new ArrayDeque<>();
  private boolean open;

  /**
   * {@code lockInOrder} takes the rows of the given meshworks on the group's connection, always in
   * one order (by id), issuing its statements at once (they are pipelined with the group's).
   */
  SendGroups(Pool pool, BiFunction<SqlConnection, List<UUID>, Future<?>> lockInOrder) {
    this.pool = pool;
    this.lockInOrder = lockInOrder;
  }

  /**
   * Runs {@code statement} in the next group's transaction, after the rows of the meshworks in
   * {@code locks} are held; completes once that transaction has committed.
   */
  synchronized Future<T> submit(Set<UUID> locks, Statement<T> statement) {
    Promise<T> result = Promise.promise();
    waiting.add(new Pending<>(locks, statement, result));
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

  /**
   * The group in one transaction; on failure each send alone. Always succeeds: each send's promise
   * carries its own outcome.
   *
   * <p>The locks and every send's statement go to PostgreSQL in one round trip
   * ({@link PipelinedTransaction}); a send is one statement so that none of its writes can be
   * issued after the COMMIT.
   */
  private Future<Void> commit(List<Pending<T>> group) {
    if (group.size() == 1 && group.get(0).statement().locksInOrder()) {
      Pending<T> lone = group.get(0);
      Statement<T> statement = lone.statement();
      return pool.preparedQuery(statement.sql()).execute(statement.params()).map(statement.answer())
          .onComplete(lone.result()).<Void>mapEmpty().otherwiseEmpty();
    }
    List<Future<T>> accepted = new ArrayList<>(group.size());
    Set<UUID> locks = new HashSet<>();
    group.forEach(pending -> locks.addAll(pending.locks()));
    return pool.withConnection(conn -> PipelinedTransaction.run(conn, c -> {
      List<Future<?>> steps = new ArrayList<>(group.size() + 1);
      steps.add(lockInOrder.apply(c, List.copyOf(locks)));
      for (Pending<T> pending : group) {
        Statement<T> statement = pending.statement();
        accepted.add(c.preparedQuery(statement.sql()).execute(statement.params()).map(statement.answer()));
      }
      steps.addAll(accepted);
      return steps;
    })).transform(outcome -> {
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
