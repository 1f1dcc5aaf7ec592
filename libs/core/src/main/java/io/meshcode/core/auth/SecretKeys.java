package io.meshcode.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The mesh's bearer secrets: owner keys {@code mc_…}, scoped guest keys {@code mc_sk_…}, invite
 * tokens {@code mc_inv_…}, spectator tokens {@code mc_spec_…}, dashboard sessions {@code mc_ds_…}.
 * 256 random bits in base62 (so no random body can look like another kind's prefix); only the
 * SHA-256 hash is ever stored, which is enough for keys this long and lets a lookup be one
 * indexed equality.
 */
public final class SecretKeys {

  public static final String OWNER = "mc_";
  public static final String GUEST = "mc_sk_";
  public static final String INVITE = "mc_inv_";
  public static final String SPECTATOR = "mc_spec_";
  public static final String DASHBOARD_SESSION = "mc_ds_";

  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int BODY_LENGTH = 43; // 43 base62 digits carry just over 256 bits
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretKeys() {}

  public static String generate(String prefix) {
    StringBuilder key = new StringBuilder(prefix.length() + BODY_LENGTH).append(prefix);
    for (int i = 0; i < BODY_LENGTH; i++) {
      key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return key.toString();
  }

  /** Whether {@code key} is a well-formed key of the kind {@code prefix} names (the prefixes nest: check the longest first). */
  public static boolean isWellFormed(String key, String prefix) {
    if (key == null || !key.startsWith(prefix)) {
      return false;
    }
    String body = key.substring(prefix.length());
    if (body.length() < 32 || body.length() > 128) {
      return false;
    }
    for (int i = 0; i < body.length(); i++) {
      if (ALPHABET.indexOf(body.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  public static byte[] hash(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** The first characters of a key, safe to show in lists so a person can tell keys apart. */
  public static String displayPrefix(String key) {
    return key.substring(0, Math.min(key.length(), key.lastIndexOf('_') + 5)) + "…";
  }
}
