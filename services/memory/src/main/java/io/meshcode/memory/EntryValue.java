package io.meshcode.memory;

import io.meshcode.core.http.ApiException;
import io.meshcode.core.http.JsonInput;

/**
 * The value a write stores: a string (a client encodes structured data as JSON text itself) of at
 * most {@code maxBytes} of UTF-8, with {@code size} its length in those bytes. Any character but
 * NUL, which PostgreSQL cannot store.
 */
record EntryValue(String text, int size) {

  static EntryValue from(JsonInput body, int maxBytes) {
    Object raw = body.value("value");
    if (raw == null) {
      throw ApiException.badRequest("'value' is required: a string (encode structured values as JSON text)");
    }
    if (!(raw instanceof String text)) {
      throw ApiException.badRequest("'value' must be a string (encode structured values as JSON text)");
    }
    if (text.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest("'value' must not contain NUL characters");
    }
    int size = Utf8.size(text, "value");
    if (size > maxBytes) {
      throw ApiException.badRequest("'value' must be at most " + maxBytes + " bytes (UTF-8); it has " + size);
    }
    return new EntryValue(text, size);
  }
}
