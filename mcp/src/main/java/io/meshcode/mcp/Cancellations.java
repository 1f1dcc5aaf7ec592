package io.meshcode.mcp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tool calls by JSON-RPC request id, so a client's {@code notifications/cancelled} reaches the
 * call it names and the call's response is not sent. A call's signal is kept after it answers
 * (a bounded number of them): a client that cancels ignores the answer even if it was already on
 * its way, so what the answer handed over must be taken back then too.
 */
final class Cancellations {

  private static final int REMEMBERED = 1000;

  private final Map<String, CancelSignal> signals = bounded();
  private final Set<String> cancelled = Collections.newSetFromMap(bounded());

  /** The signal of the call with this request id (a fresh, unshared one without an id). */
  CancelSignal register(Object requestId) {
    if (requestId == null) {
      return new CancelSignal();
    }
    String key = key(requestId);
    CancelSignal signal;
    synchronized (signals) {
      signal = signals.computeIfAbsent(key, k -> new CancelSignal());
    }
    if (cancelled.contains(key)) {
      signal.cancel();
    }
    return signal;
  }

  void cancel(Object requestId) {
    if (requestId == null) {
      return;
    }
    String key = key(requestId);
    cancelled.add(key);
    CancelSignal signal;
    synchronized (signals) {
      signal = signals.get(key);
    }
    if (signal != null) {
      signal.cancel();
    }
  }

  /** True for a cancelled request: its response is not to be sent. */
  boolean dropResponse(Object requestId) {
    return requestId != null && cancelled.contains(key(requestId));
  }

  /** JSON-RPC ids are strings or numbers: 7 and "7" are different requests. */
  private static String key(Object id) {
    if (id instanceof Number number) {
      double value = number.doubleValue();
      return "#" + (value == Math.rint(value) ? Long.toString(number.longValue()) : number.toString());
    }
    return "$" + id;
  }

  private static <V> Map<String, V> bounded() {
    return Collections.synchronizedMap(new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > REMEMBERED;
      }
    });
  }
}
