package io.meshcode.local;

import io.meshcode.core.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many replicas of each service {@code run-mesh --replicas} asks for: one count for every
 * service ({@code 2}), or counts by name ({@code gateway=2,bus=3}, the others one each).
 */
final class ReplicaCounts {

  static final String OPTION = "--replicas";
  static final int MAX = 8;
  private static final String EXPECTED = "a count 1-" + MAX + " for every service, or service=count pairs separated by commas"
      + " (services: " + String.join(", ", ReplicatedServices.SERVICES) + ")";

  private ReplicaCounts() {}

  /** A count for each of {@link ReplicatedServices#SERVICES}; throws {@link ConfigException} naming what is wrong. */
  static Map<String, Integer> parse(String spec) {
    String trimmed = spec == null ? "" : spec.strip();
    if (trimmed.isEmpty()) {
      throw new ConfigException(OPTION, EXPECTED, spec);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    if (!trimmed.contains("=")) {
      int every = count(trimmed, spec);
      ReplicatedServices.SERVICES.forEach(service -> counts.put(service, every));
      return counts;
    }
    Map<String, Integer> named = new LinkedHashMap<>();
    for (String pair : trimmed.split(",", -1)) {
      String[] parts = pair.strip().split("=", -1);
      if (parts.length != 2 || !ReplicatedServices.SERVICES.contains(parts[0].strip())) {
        throw new ConfigException(OPTION, EXPECTED, spec);
      }
      if (named.put(parts[0].strip(), count(parts[1].strip(), spec)) != null) {
        throw new ConfigException(OPTION + ": " + parts[0].strip() + " is given twice in '" + spec + "'");
      }
    }
    ReplicatedServices.SERVICES.forEach(service -> counts.put(service, named.getOrDefault(service, 1)));
    return counts;
  }

  private static int count(String text, String spec) {
    if (!text.matches("[0-9]{1,2}")) {
      throw new ConfigException(OPTION, EXPECTED, spec);
    }
    int count = Integer.parseInt(text);
    if (count < 1 || count > MAX) {
      throw new ConfigException(OPTION, EXPECTED, spec);
    }
    return count;
  }
}
