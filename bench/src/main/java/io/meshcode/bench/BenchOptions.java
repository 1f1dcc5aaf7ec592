package io.meshcode.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * A benchmark's {@code --name=value} options over its defaults. An unknown option, or a value
 * that is not a whole number, on/off or one of the choices where one is wanted, ends the run with one line naming it (exit 2).
 */
final class BenchOptions {

  private final Map<String, String> values;

  private BenchOptions(Map<String, String> values) {
    this.values = values;
  }

  static BenchOptions parse(String[] args, Map<String, String> defaults) {
    Map<String, String> values = new HashMap<>(defaults);
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      if (kv.length != 2 || !values.containsKey(kv[0])) {
        fail("unknown option " + arg + "; options: " + values.keySet());
      }
      values.put(kv[0], kv[1]);
    }
    return new BenchOptions(values);
  }

  String text(String name) {
    return values.get(name);
  }

  int number(String name) {
    try {
      return Integer.parseInt(values.get(name));
    } catch (NumberFormatException e) {
      fail("--" + name + " must be a whole number, not '" + values.get(name) + "'");
      return 0;
    }
  }

  boolean onOff(String name) {
    return switch (values.get(name)) {
      case "on" -> true;
      case "off" -> false;
      default -> {
        fail("--" + name + " must be on or off, not '" + values.get(name) + "'");
        yield false;
      }
    };
  }

  /** The value of {@code name}, which must be one of {@code allowed}. */
  String choice(String name, String... allowed) {
    String value = values.get(name);
    if (!java.util.List.of(allowed).contains(value)) {
      fail("--" + name + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
