package io.meshcode.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decoding that refuses what a lenient decoder would quietly repair: percent-encoding that is not
 * UTF-8 (a lenient decoder makes U+FFFD of it, so that {@code %ff} and {@code %fe} name the same
 * thing), and JSON beyond RFC 8259 (comments, {@code NaN}, a number too large for a double, a
 * lone surrogate, invalid UTF-8, a name given twice, nesting deeper than {@value #MAX_DEPTH}).
 */
public final class StrictDecoding {

  /** Deeper than any document of the API goes. */
  public static final int MAX_DEPTH = 32;

  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
      .disable(JsonReadFeature.ALLOW_YAML_COMMENTS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
      .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
      .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
      .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
      .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();

  private StrictDecoding() {}

  /**
   * {@code text} with its percent-escapes decoded as UTF-8 ({@code +} stays a plus).
   *
   * @throws IllegalArgumentException for a broken escape or bytes that are not UTF-8
   */
  public static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new IllegalArgumentException("a '%' not followed by two hex digits");
        }
        int hi = Character.digit(text.charAt(i + 1), 16);
        int lo = Character.digit(text.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("a '%' not followed by two hex digits");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("percent-encoded bytes that are not UTF-8");
    }
  }

  /** What is wrong with {@code json} as strict JSON (RFC 8259, UTF-8), in a sentence; null if nothing. */
  public static String jsonProblem(byte[] json) {
    if (!isUtf8(json)) {
      return "the request body is not valid UTF-8";
    }
    try (JsonParser parser = JSON.createParser(json)) {
      JsonToken token;
      int values = 0;
      int depth = 0;
      while ((token = parser.nextToken()) != null) {
        if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        }
        if (depth == 0 && token != JsonToken.FIELD_NAME && ++values > 1) {
          return "more than one JSON value in the body";
        }
        switch (token) {
          case VALUE_NUMBER_FLOAT -> {
            double value = parser.getDoubleValue();
            if (Double.isInfinite(value)) {
              return "a number is too large: " + clip(parser.getText());
            }
          }
          case VALUE_STRING, FIELD_NAME -> {
            if (hasLoneSurrogate(parser.getText())) {
              return "a string holds a lone surrogate (\\ud800-\\udfff without its pair)";
            }
          }
          default -> { }
        }
      }
      return values == 0 ? "the request body is empty" : null;
    } catch (StreamConstraintsException e) {
      return "the JSON is nested deeper than " + MAX_DEPTH + " levels";
    } catch (IOException e) {
      return "the request body is not valid JSON: " + firstLine(e.getMessage());
    }
  }

  /**
   * Whether {@code bytes} are UTF-8 by the strict reading (no overlong form, no encoded surrogate,
   * nothing past U+10FFFF): the JSON parser lets an overlong form through, and the services'
   * lenient decoder would then store U+FFFD.
   */
  private static boolean isUtf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        try {
          StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
          return true;
        } catch (CharacterCodingException e) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static String clip(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  /** Jackson's message without its location block and source echo. */
  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse(message);
    int source = line.indexOf(" (for ");
    return clip2(source > 0 ? line.substring(0, source) : line);
  }

  private static String clip2(String text) {
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }
}
