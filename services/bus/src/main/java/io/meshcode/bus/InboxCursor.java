package io.meshcode.bus;

import io.meshcode.core.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A position in one agent's inbox as clients see it: {@code <seq>.<tag>}, where the tag names the
 * inbox (a hash of meshwork and agent). It is not a secret; the tag only makes a cursor given to
 * another agent's inbox a clear 400 instead of a silent skip.
 */
record InboxCursor(long seq, String tag) {

  private static final int TAG_LENGTH = 10;

  static InboxCursor at(AgentSlot inbox, long seq) {
    return new InboxCursor(seq, tagOf(inbox));
  }

  /** Reads {@code text} for {@code inbox}; null or empty is the start of the inbox. */
  static long seqFor(AgentSlot inbox, String text, String field) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    int dot = text.indexOf('.');
    long seq;
    try {
      seq = dot > 0 ? Long.parseLong(text.substring(0, dot)) : -1;
    } catch (NumberFormatException e) {
      seq = -1;
    }
    if (seq < 0) {
      throw ApiException.badRequest("'" + field + "' is not a cursor this service gave out");
    }
    if (!text.substring(dot + 1).equals(tagOf(inbox))) {
      throw ApiException.badRequest("'" + field + "' is a cursor of another agent's inbox");
    }
    return seq;
  }

  @Override
  public String toString() {
    return seq + "." + tag;
  }

  private static String tagOf(AgentSlot inbox) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((inbox.meshwork() + "/" + inbox.agent()).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, TAG_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
