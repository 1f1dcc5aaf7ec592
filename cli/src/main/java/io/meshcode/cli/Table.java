package io.meshcode.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables for list verbs, and the times in them. */
public final class Table {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  public Table row(Object... cells) {
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null || cell.toString().isEmpty() ? "-" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public void print(PrintWriter out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, header, widths);
    rows.forEach(row -> line(out, row, widths));
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      text.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + (widths[i] + 2) + "s", cells.get(i)));
    }
    out.println(text.toString().stripTrailing());
  }

  /** "12 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" for null; the text itself if it is not a time. */
  public static String ago(String isoInstant, Instant now) {
    if (isoInstant == null || isoInstant.isBlank()) {
      return "never";
    }
    try {
      long seconds = Math.max(0, Duration.between(Instant.parse(isoInstant.replace("+00:00", "Z")), now).toSeconds());
      if (seconds < 60) {
        return seconds + " s ago";
      }
      if (seconds < 3600) {
        return seconds / 60 + " min ago";
      }
      return seconds < 86_400 ? seconds / 3600 + " h ago" : seconds / 86_400 + " d ago";
    } catch (DateTimeParseException e) {
      return isoInstant;
    }
  }

  /** The date and minute of an ISO instant, or the text itself. */
  public static String date(String isoInstant) {
    if (isoInstant == null || isoInstant.length() < 16) {
      return isoInstant;
    }
    return isoInstant.substring(0, 10) + " " + isoInstant.substring(11, 16);
  }
}
