package io.meshcode.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A tool call's arguments, read with checks whose messages name the argument and say what it must
 * be: the agent reads them and fixes its call. Lenient where models commonly slip (a number sent
 * as a string, one item instead of a list), strict about unknown names and wrong types.
 */
public final class Args {

  /** The rule for meshwork and agent names, the clients' one copy of core's (they cannot depend on core). */
  public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");
  private static final Pattern INTEGER = Pattern.compile("^-?\\d{1,18}$");

  private final Map<String, Object> values;

  private Args(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * Refuses any argument outside {@code allowed}, and any holding what the gateway refuses in every
   * request: a lone surrogate (the request body's encoder would send it as '?', which is then
   * stored), a NUL, or nesting deeper than {@value #MAX_DEPTH} levels.
   */
  static Args of(String tool, Map<String, Object> raw, List<String> allowed) {
    Map<String, Object> values = raw == null ? Map.of() : raw;
    Set<String> known = Set.copyOf(allowed);
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw ToolError.invalid("unknown argument '" + name + "': " + tool
            + (allowed.isEmpty() ? " takes no arguments" : " takes " + String.join(", ", allowed)));
      }
      checkText(name, values.get(name), 1);
    }
    return new Args(values);
  }

  private static final int MAX_DEPTH = 32;

  private static void checkText(String argument, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw ToolError.invalid("'" + argument + "' is nested deeper than " + MAX_DEPTH + " levels");
    }
    if (value instanceof String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == 0) {
          throw ToolError.invalid("'" + argument + "' holds a NUL character");
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw ToolError.invalid("'" + argument + "' holds a lone surrogate (\\ud800-\\udfff without its pair)");
        }
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        checkText(argument, String.valueOf(entry.getKey()), depth + 1);
        checkText(argument, entry.getValue(), depth + 1);
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        checkText(argument, item, depth + 1);
      }
    }
  }

  Map<String, Object> raw() {
    return values;
  }

  boolean has(String name) {
    return values.get(name) != null;
  }

  String requiredString(String name, int maxLength) {
    String value = optionalString(name, maxLength);
    if (value == null || value.isBlank()) {
      throw ToolError.invalid("'" + name + "' is required");
    }
    return value;
  }

  String optionalString(String name, int maxLength) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ToolError.invalid("'" + name + "' must be a string");
    }
    if (text.length() > maxLength) {
      throw ToolError.invalid("'" + name + "' must be at most " + maxLength + " characters");
    }
    return text;
  }

  String requiredName(String name) {
    return name(name, requiredString(name, 40));
  }

  String optionalName(String name) {
    String value = optionalString(name, 40);
    return value == null ? null : name(name, value);
  }

  private static String name(String argument, String value) {
    if (!NAME.matcher(value).matches()) {
      throw ToolError.invalid("'" + argument + "' must be a name: 1-40 lowercase letters, digits, '-' or '_'");
    }
    return value;
  }

  /** One of {@code choices}, or null. */
  String optionalChoice(String name, List<String> choices) {
    String value = optionalString(name, 100);
    if (value != null && !choices.contains(value)) {
      throw ToolError.invalid("'" + name + "' must be one of " + String.join(", ", choices));
    }
    return value;
  }

  /** A whole number in [min, max] (a numeric string is accepted), or null. */
  Integer optionalInt(String name, int min, int max) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    Long number = null;
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue())) {
      number = n.longValue();
    } else if (value instanceof String text && INTEGER.matcher(text.strip()).matches()) {
      number = Long.parseLong(text.strip());
    }
    if (number == null || number < min || number > max) {
      throw ToolError.invalid("'" + name + "' must be a whole number from " + min + " to " + max);
    }
    return number.intValue();
  }

  /** Any JSON value, or null. */
  JsonNode optionalJson(String name) {
    Object value = values.get(name);
    return value == null ? null : Json.tree(value);
  }

  /**
   * A value to store as text: a string as it is, any other JSON value as its JSON text (the
   * memory and the scratchpad store strings; structured data goes in as JSON text).
   */
  String requiredValueText(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw ToolError.invalid("'" + name + "' is required");
    }
    return value instanceof String text ? text : Json.write(Json.tree(value));
  }

  /** A memory or scratchpad key: 1-200 characters, not blank, not '.' or '..' (a path would resolve them away). */
  String requiredKey(String name) {
    String key = requiredString(name, 200);
    if (key.equals(".") || key.equals("..")) {
      throw ToolError.invalid("'" + name + "' cannot be '.' or '..'");
    }
    return key;
  }

  String optionalKey(String name) {
    return has(name) ? requiredKey(name) : null;
  }

  /**
   * A list of non-blank strings: a JSON array, or one string (comma-separated items allowed when
   * {@code commaSeparated}), or null when absent.
   */
  List<String> optionalList(String name, boolean commaSeparated, int maxItems, int maxLength) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    List<String> items = new ArrayList<>();
    if (value instanceof String text) {
      for (String item : commaSeparated ? text.split(",") : new String[] {text}) {
        items.add(item.strip());
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof String text)) {
          throw ToolError.invalid("'" + name + "' must be a list of strings");
        }
        items.add(text.strip());
      }
    } else {
      throw ToolError.invalid("'" + name + "' must be a string or a list of strings");
    }
    if (items.isEmpty() || items.stream().anyMatch(String::isEmpty)) {
      throw ToolError.invalid("'" + name + "' must not be empty or hold empty items");
    }
    if (items.size() > maxItems) {
      throw ToolError.invalid("'" + name + "' may hold at most " + maxItems + " items");
    }
    if (items.stream().anyMatch(item -> item.length() > maxLength)) {
      throw ToolError.invalid("each item of '" + name + "' must be at most " + maxLength + " characters");
    }
    return items;
  }

  List<String> requiredList(String name, boolean commaSeparated, int maxItems, int maxLength) {
    List<String> items = optionalList(name, commaSeparated, maxItems, maxLength);
    if (items == null) {
      throw ToolError.invalid("'" + name + "' is required");
    }
    return items;
  }
}
