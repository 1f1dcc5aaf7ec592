package io.meshcode.core.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Small pieces repositories share: SQLSTATE codes, column reads, id parsing. */
public final class Sql {

  public static final String UNIQUE_VIOLATION = "23505";
  public static final String FOREIGN_KEY_VIOLATION = "23503";

  // Only the canonical form: UUID.fromString also accepts oddities such as "1-2-3-4-5".
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Sql() {}

  public static boolean hasState(Throwable failure, String sqlState) {
    return failure instanceof PgException pg && sqlState.equals(pg.getSqlState());
  }

  public static Instant instant(Row row, String column) {
    OffsetDateTime time = row.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }

  public static String iso(Instant time) {
    return time == null ? null : time.toString();
  }

  /** An id from a path or a token claim; anything else cannot name a row. */
  public static Optional<UUID> uuid(String text) {
    return text != null && UUID_TEXT.matcher(text).matches() ? Optional.of(UUID.fromString(text)) : Optional.empty();
  }

  public static List<Row> rows(RowSet<Row> rows) {
    List<Row> list = new ArrayList<>(rows.size());
    rows.forEach(list::add);
    return list;
  }

  /** Runs {@code step} for each item, one after the other (a connection runs one query at a time anyway). */
  public static <T> Future<Void> each(List<T> items, Function<T, Future<?>> step) {
    Future<?> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(ignored -> step.apply(item));
    }
    return chain.mapEmpty();
  }
}
