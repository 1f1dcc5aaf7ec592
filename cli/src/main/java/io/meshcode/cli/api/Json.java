package io.meshcode.cli.api;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;

/**
 * The CLI's JSON, read and written with jackson-core, the Jackson 3 that the MCP server in the same
 * process uses: its streaming API only, since data binding costs a quick verb start-up time. Objects
 * become {@link JsonMap}s with their keys in order, arrays {@link List}s, integers {@link Long}, and
 * any other number keeps the text it was written with, so a file read and written again keeps
 * {@code 1.0} and {@code 12345678901234567890} as they were. Strict: besides what RFC 8259 refuses,
 * a repeated key, an unpaired surrogate and nesting deeper than {@link #MAX_DEPTH} are refused.
 * Every refusal is an {@link IllegalArgumentException} whose message says where and what, in
 * words a caller can put after "not valid JSON".
 */
public final class Json {

  /** Deeper than any editor config or API answer; a file nested deeper is not one of them. */
  public static final int MAX_DEPTH = 100;

  private static final Pattern CONTROL_CHARACTER = Pattern.compile("\\(\\(CTRL-CHAR, code (\\d+)\\)\\)");
  private static final Pattern CHARACTER = Pattern.compile("\\('(.)' \\(code [^)]*\\)\\)", Pattern.DOTALL);

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      // A path such as /usr/local/bin/meshcode stays as people write it.
      .disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
      .build();

  private Json() {}

  /** Any JSON value. */
  public static Object parse(String text) {
    try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IllegalArgumentException("there is no value");
      }
      Object value = value(parser, first);
      if (parser.nextToken() != null) {
        throw refusal(parser.currentTokenLocation(), "more text after the value");
      }
      return value;
    } catch (StreamConstraintsException e) {
      String what = String.valueOf(e.getOriginalMessage()).startsWith("Document nesting depth")
          ? "nested deeper than " + MAX_DEPTH + " levels" : reason(e.getOriginalMessage());
      throw refusal(e.getLocation(), what);
    } catch (JacksonException e) {
      throw refusal(e.getLocation(), reason(e.getOriginalMessage()));
    }
  }

  /** A JSON object. */
  public static JsonMap parseObject(String text) {
    Object value = parse(text);
    if (value instanceof JsonMap map) {
      return map;
    }
    throw new IllegalArgumentException("expected an object, found " + kind(value));
  }

  /** Compact, as sent over the wire. */
  public static String write(Object value) {
    return write(value, ObjectWriteContext.empty());
  }

  /** Indented by two spaces, as people read it and as most editors write their configs. */
  public static String pretty(Object value) {
    return pretty(value, "  ", "\n");
  }

  /** Indented by {@code indent}, one entry a line ended by {@code lineEnd}, {@code "name": value}, empty as {} and []. */
  public static String pretty(Object value, String indent, String lineEnd) {
    return write(value, new ObjectWriteContext.Base() {
      @Override
      public PrettyPrinter getPrettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter(indent, lineEnd);
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectNameValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(indenter)
            .withArrayIndenter(indenter);
      }

      @Override
      public boolean hasPrettyPrinter() {
        return true;
      }
    });
  }

  /** What a value is, in words: "an array", "a string", … */
  public static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonMap) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return value instanceof Boolean ? "a boolean" : "a string";
  }

  private static Object value(JsonParser parser, JsonToken token) {
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
          fields.put(checked(parser, name), value(parser, parser.nextToken()));
        }
        yield new JsonMap(fields);
      }
      case START_ARRAY -> {
        List<Object> items = new ArrayList<>();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          items.add(value(parser, next));
        }
        yield items;
      }
      case VALUE_STRING -> checked(parser, parser.getString());
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(parser);
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw refusal(parser.currentTokenLocation(), "unexpected " + token);
    };
  }

  /** A long when it is one as written; otherwise the number as written (1.0, 1e3, -0, 12345678901234567890). */
  private static Number number(JsonParser parser) {
    String text = parser.getString();
    if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
        && Long.toString(parser.getLongValue()).equals(text)) {
      return parser.getLongValue();
    }
    return new WrittenNumber(text);
  }

  /** Refuses a string with half a surrogate pair: no UTF-8 file can hold it. */
  private static String checked(JsonParser parser, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw refusal(parser.currentTokenLocation(), "half a surrogate pair, \\u"
            + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ", in a string");
      }
    }
    return text;
  }

  private static IllegalArgumentException refusal(TokenStreamLocation where, String what) {
    String place = where == null || where.getLineNr() < 1 ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
    return new IllegalArgumentException(place + what);
  }

  /** Jackson's reason in a few plain words: no character codes, feature names or nested brackets. */
  private static String reason(String jackson) {
    String line = jackson == null ? "" : jackson.lines().findFirst().orElse("").strip();
    Matcher control = CONTROL_CHARACTER.matcher(line);
    if (control.find()) {
      String which = String.format("U+%04X", Integer.parseInt(control.group(1)));
      return line.contains("string value") ? "control character " + which + " in a string, where it must be escaped"
          : "control character " + which + " where only spaces, tabs and line ends may be";
    }
    if (line.startsWith("Duplicate Object property ")) {
      return "the key " + line.substring("Duplicate Object property ".length()) + " appears twice";
    }
    if (line.startsWith("Unrecognized token ") && line.contains(":")) {
      return "unexpected text " + line.substring("Unrecognized token ".length(), line.indexOf(':'));
    }
    if (line.startsWith("Unexpected end-of-input")) {
      return "the text ends before the value does";
    }
    if (line.startsWith("Number value length")) {
      return "a number longer than " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits";
    }
    if (line.contains("comment")) {
      return "a comment, which JSON does not allow";
    }
    line = CHARACTER.matcher(line).replaceAll(found -> Matcher.quoteReplacement(character(found.group(1).charAt(0))))
        .replaceAll(":? *enable `[^`]*` to allow$", "")
        .replaceAll(" \\(JSON String[^)]*\\)", "")
        .strip();
    return line.isEmpty() ? "not JSON" : Character.toLowerCase(line.charAt(0)) + line.substring(1);
  }

  /** A character as a reader can see it: 'x', or U+2028 for one that shows as nothing or as space. */
  private static String character(char c) {
    return Character.isLetterOrDigit(c) || (c > ' ' && c < 0x7F) ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  private static String write(Object value, ObjectWriteContext context) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(context, out)) {
      write(value, generator);
    }
    return out.toString();
  }

  private static void write(Object value, JsonGenerator out) {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof JsonMap map) {
      write(map.asMap(), out);
    } else if (value instanceof Map<?, ?> map) {
      out.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.writeName(String.valueOf(entry.getKey()));
        write(entry.getValue(), out);
      }
      out.writeEndObject();
    } else if (value instanceof Iterable<?> items) {
      out.writeStartArray();
      for (Object item : items) {
        write(item, out);
      }
      out.writeEndArray();
    } else if (value instanceof WrittenNumber number) {
      out.writeNumber(number.toString());
    } else if (value instanceof BigDecimal number) {
      out.writeNumber(number);
    } else if (value instanceof BigInteger number) {
      out.writeNumber(number);
    } else if (value instanceof Double || value instanceof Float) {
      out.writeNumber(((Number) value).doubleValue());
    } else if (value instanceof Number number) {
      out.writeNumber(number.longValue());
    } else if (value instanceof Boolean bool) {
      out.writeBoolean(bool);
    } else {
      out.writeString(value.toString());
    }
  }

  /** A number as it was written, for the numbers a long would change. */
  static final class WrittenNumber extends Number {

    private static final long serialVersionUID = 1L;

    private final String text;

    WrittenNumber(String text) {
      this.text = text;
    }

    @Override
    public int intValue() {
      return (int) longValue();
    }

    @Override
    public long longValue() {
      return new BigDecimal(text).longValue();
    }

    @Override
    public float floatValue() {
      return (float) doubleValue();
    }

    @Override
    public double doubleValue() {
      return Double.parseDouble(text);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WrittenNumber number && number.text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
