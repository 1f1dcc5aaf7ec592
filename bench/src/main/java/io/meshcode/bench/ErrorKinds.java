package io.meshcode.bench;

import io.vertx.core.AsyncResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls that did not get the answer they wanted, counted by kind: the operation and the status it
 * answered ({@code send 503}), or the operation and the exception when none came
 * ({@code wait: NoStackTraceTimeoutException}).
 */
final class ErrorKinds {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** Whether {@code result} is the answer {@code expected}; counts it as an error of {@code operation} when not. */
  boolean check(String operation, AsyncResult<HttpResponse<Buffer>> result, int expected) {
    String kind = kindOf(operation, result, expected);
    if (kind == null) {
      return true;
    }
    counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    return false;
  }

  /** The error's kind, or null when {@code result} answered {@code expected}. */
  static String kindOf(String operation, AsyncResult<HttpResponse<Buffer>> result, int expected) {
    if (result.failed()) {
      return operation + ": " + result.cause().getClass().getSimpleName();
    }
    int status = result.result().statusCode();
    return status == expected ? null : operation + " " + status;
  }

  /** Each kind seen and how often, by name. */
  Map<String, Long> counts() {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((kind, count) -> sorted.put(kind, count.sum()));
    return sorted;
  }

  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
