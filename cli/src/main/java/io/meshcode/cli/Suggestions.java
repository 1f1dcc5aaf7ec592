package io.meshcode.cli;

import java.util.Collection;
import java.util.List;

/** "Did you mean …": the candidates closest to what was typed; the rule is the MCP server's ({@link io.meshcode.mcp.Suggestions}). */
public final class Suggestions {

  private Suggestions() {}

  /** At most three candidates close to {@code typed}, closest first. */
  public static List<String> closest(String typed, Collection<String> candidates) {
    return io.meshcode.mcp.Suggestions.closest(typed, candidates);
  }

  /** "; did you mean: a, b?" or nothing. */
  public static String didYouMean(String typed, Collection<String> candidates) {
    List<String> close = closest(typed, candidates);
    return close.isEmpty() ? "" : "; did you mean: " + String.join(", ", close) + "?";
  }

  static int levenshtein(String a, String b) {
    return io.meshcode.mcp.Suggestions.levenshtein(a, b);
  }
}
