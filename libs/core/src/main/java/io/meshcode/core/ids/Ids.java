package io.meshcode.core.ids;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered ids (UUID version 7): they sort by creation time, so a primary key on them keeps
 * inserts at the end of the index and ids can be compared as a coarse order of events.
 * Within one millisecond a counter keeps them strictly increasing in this process.
 */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static long lastMillis;
  private static int sequence;

  private Ids() {}

  public static UUID newUuid() {
    long millis;
    int seq;
    synchronized (Ids.class) {
      millis = Math.max(System.currentTimeMillis(), lastMillis);
      if (millis == lastMillis) {
        sequence++;
        if (sequence > 0xFFF) {
          // 4096 ids in one millisecond: borrow the next millisecond rather than repeat.
          millis++;
          sequence = 0;
        }
      } else {
        sequence = RANDOM.nextInt(0x400);
      }
      lastMillis = millis;
      seq = sequence;
    }
    long high = (millis << 16) | 0x7000L | seq;
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low);
  }

  public static String newId() {
    return newUuid().toString();
  }

  /** Milliseconds since the epoch at which a version 7 id was made. */
  public static long timestampMillis(UUID id) {
    if (id.version() != 7) {
      throw new IllegalArgumentException("not a time-ordered id: " + id);
    }
    return id.getMostSignificantBits() >>> 16;
  }
}
