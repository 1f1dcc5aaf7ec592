package io.meshcode.mcp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean …": the candidates closest to what was typed, by edit distance. The MCP server
 * names the closest agents when started for one that does not exist; the CLI uses the same rule.
 */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The candidates within a third of the typed length (at least 2) edits of {@code typed}, or that
   * start with it or contain it, closest first, at most three.
   */
  public static List<String> closest(String typed, Collection<String> candidates) {
    String wanted = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, wanted.length() / 3);
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String candidate : candidates) {
      String name = candidate.toLowerCase(Locale.ROOT);
      int distance = levenshtein(wanted, name);
      if (distance <= limit || (wanted.length() >= 3 && name.contains(wanted))) {
        scored.add(new Scored(candidate, distance));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    return scored.stream().limit(3).map(Scored::name).toList();
  }

  /** " Did you mean: a, b?" or nothing. */
  public static String didYouMean(String typed, Collection<String> candidates) {
    List<String> close = closest(typed, candidates);
    return close.isEmpty() ? "" : " Did you mean: " + String.join(", ", close) + "?";
  }

  /** Edits between two strings: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
  public static int levenshtein(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
