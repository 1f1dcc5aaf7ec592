package io.meshcode.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A list the gateway vouches for that is too long for a token (a broadcast's recipients): it
 * travels in the forwarded body, and the internal token carries its SHA-256, so a service takes
 * the list only as the gateway resolved it. Headers have a size limit that no list allowed by the
 * API may hit; bodies are limited far above any list.
 */
public final class VouchedList {

  /** The token's claim holding the digest of a send's recipients. */
  public static final String RECIPIENTS_CLAIM = "recipients_sha256";

  private VouchedList() {}

  /** The claim's value for the list whose JSON encoding is {@code json}. */
  public static String digest(String json) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  /** True when {@code json} is the list {@code digest} was made of. */
  public static boolean matches(String json, String digest) {
    return digest != null && MessageDigest.isEqual(
        digest(json).getBytes(StandardCharsets.US_ASCII), digest.getBytes(StandardCharsets.US_ASCII));
  }
}
