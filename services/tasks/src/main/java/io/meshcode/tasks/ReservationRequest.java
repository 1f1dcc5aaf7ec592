package io.meshcode.tasks;

import java.util.List;

/** What an agent asks to reserve, validated: distinct patterns, a reason, a time to live, and whether it shares. */
record ReservationRequest(List<PathPattern> paths, String reason, int ttlSeconds, boolean shared) {

  List<String> texts() {
    return paths.stream().map(PathPattern::text).toList();
  }
}
