package io.meshcode.memory;

import io.meshcode.core.http.ApiException;

/** Sizes of text as the limits count them: bytes of UTF-8. */
final class Utf8 {

  private Utf8() {}

  /** How many bytes {@code text} takes in UTF-8; a lone surrogate (not Unicode, not storable) is a 400 naming {@code field}. */
  static int size(String text, String field) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ApiException.badRequest("'" + field + "' is not valid Unicode (it holds a lone surrogate)");
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The longest start of {@code text} that fits in {@code maxBytes} of UTF-8, cut between characters. */
  static String prefix(String text, int maxBytes) {
    int bytes = 0;
    int i = 0;
    while (i < text.length()) {
      int codePoint = text.codePointAt(i);
      int width = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (bytes + width > maxBytes) {
        break;
      }
      bytes += width;
      i += Character.charCount(codePoint);
    }
    return text.substring(0, i);
  }
}
