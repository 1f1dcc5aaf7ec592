package io.meshcode.cli;

import io.meshcode.mcp.Args;

/** Project (meshwork) and agent names, checked before they go into a URL. */
public final class Names {

  private Names() {}

  public static boolean valid(String name) {
    return name != null && Args.NAME.matcher(name).matches();
  }

  /** @throws CliException (usage) naming {@code what} and the rule */
  public static String check(String name, String what) {
    if (!valid(name)) {
      throw CliException.usage("the " + what + " name '" + name + "' is not valid: 1-40 lowercase letters, digits, '-' or '_',"
          + " starting with a letter or digit");
    }
    return name;
  }

  /** The name closest to {@code text} that is valid: lowercase, other characters as '-', trimmed to 40. */
  public static String slug(String text) {
    String slug = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^[-_]+", "");
    slug = slug.length() > 40 ? slug.substring(0, 40) : slug;
    return slug.replaceAll("[-_]+$", "");
  }
}
