package io.meshcode.core.ids;

import io.meshcode.core.http.ApiException;
import java.util.regex.Pattern;

/**
 * Names people choose for meshworks and agent slots. They appear in URLs and in addresses such
 * as {@code other-meshwork/agent}, so both follow one rule: lowercase letters, digits, {@code -}
 * and {@code _}, starting with a letter or digit, at most 40 characters.
 */
public final class Names {

  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
  public static final String RULE = "must be 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit";

  private Names() {}

  /** A name taken from a URL path; a bad one cannot name anything, so it is a 404. */
  public static String pathName(String value, String what) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw ApiException.notFound("no " + what + " by that name");
    }
    return value;
  }
}
