package io.meshcode.memory;

import io.meshcode.core.http.ApiException;
import io.vertx.ext.web.RoutingContext;

/**
 * The key of a memory or a scratchpad entry, the last segment of its path: 1-200 characters, not
 * blank, no control characters (not even newlines or tabs), valid Unicode. Any other character is
 * allowed, percent-encoded where a path needs it ({@code /} as {@code %2F}); {@code .} and
 * {@code ..} cannot be keys, since paths resolve them away.
 */
final class EntryKey {

  static final int MAX_CHARACTERS = 200;

  private EntryKey() {}

  static String fromPath(RoutingContext ctx) {
    return check(ctx.pathParam("key"));
  }

  /** {@code key} if it is a valid key; otherwise a 400 naming 'key' and the rule it breaks. */
  static String check(String key) {
    if (key == null || key.isEmpty()) {
      throw bad("must not be empty");
    }
    if (key.codePointCount(0, key.length()) > MAX_CHARACTERS) {
      throw bad("must be at most " + MAX_CHARACTERS + " characters");
    }
    if (key.isBlank()) {
      throw bad("must not be blank");
    }
    if (key.equals(".") || key.equals("..")) {
      throw bad("must not be '.' or '..'");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isISOControl(c)) {
        throw bad("must not contain control characters");
      }
    }
    Utf8.size(key, "key");
    return key;
  }

  private static ApiException bad(String rule) {
    return ApiException.badRequest("'key' " + rule);
  }
}
