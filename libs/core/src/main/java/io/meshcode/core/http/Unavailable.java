package io.meshcode.core.http;

import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Failures that mean PostgreSQL cannot be reached right now (restarting, down), not that the request was wrong. */
final class Unavailable {

  private Unavailable() {}

  static boolean isDatabaseDown(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof PgException pg && pg.getSqlState() != null
          // 08: connection exceptions; 57P: operator intervention (shutdown, crash recovery, cannot connect now).
          && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
        return true;
      }
      if (cause instanceof ConnectException || cause instanceof TimeoutException || cause instanceof IOException) {
        return true;
      }
      String type = cause.getClass().getName();
      String message = String.valueOf(cause.getMessage());
      if (type.startsWith("io.vertx") && (message.contains("Connection refused") || message.contains("closed")
          || message.contains("Timeout"))) {
        return true;
      }
    }
    return false;
  }
}
