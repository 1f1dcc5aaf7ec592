package io.meshcode.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process's live heap by class, as {@code jcmd <pid> GC.class_histogram} prints it after the
 * full collection it forces: what two of them differ by says where a measured growth went.
 */
record HeapHistogram(long totalBytes, Map<String, Usage> byClass) {

  /** Instances and bytes of one class. */
  record Usage(long instances, long bytes) {}

  /** One class's growth from one histogram to the next. */
  record Growth(String className, long instances, long bytes) {}

  // "   1:        123456       7890123  java.lang.String (java.base@21)"
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

  static HeapHistogram parse(String jcmdOutput) {
    String[] lines = jcmdOutput.strip().split("\n");
    String total = lines[lines.length - 1].trim();
    if (!total.startsWith("Total")) {
      throw new IllegalStateException("unexpected jcmd output: " + total);
    }
    Map<String, Usage> byClass = new HashMap<>();
    for (String line : lines) {
      Matcher row = ROW.matcher(line);
      if (row.matches()) {
        byClass.merge(row.group(3), new Usage(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
            (a, b) -> new Usage(a.instances() + b.instances(), a.bytes() + b.bytes()));
      }
    }
    return new HeapHistogram(Long.parseLong(total.split("\\s+")[2]), byClass);
  }

  /** The {@code top} classes that grew most in bytes from {@code before} to this one. */
  List<Growth> grownSince(HeapHistogram before, int top) {
    List<Growth> growth = new ArrayList<>();
    byClass.forEach((name, now) -> {
      Usage then = before.byClass().getOrDefault(name, new Usage(0, 0));
      growth.add(new Growth(name, now.instances() - then.instances(), now.bytes() - then.bytes()));
    });
    growth.sort(Comparator.comparingLong(Growth::bytes).reversed());
    return growth.subList(0, Math.min(top, growth.size()));
  }
}
