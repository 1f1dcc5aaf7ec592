package io.meshcode.tasks;

import io.meshcode.core.http.ApiException;
import java.util.ArrayList;
import java.util.List;

/**
 * A path or glob an agent reserves, relative to the workspace root with {@code /} between
 * segments.
 *
 * <p>Syntax: {@code *} any characters within a segment, {@code ?} one character, {@code [abc]},
 * {@code [a-z]}, {@code [!a-z]} (or {@code [^a-z]}) one character of a class, {@code **} as a whole
 * segment any number of segments (none included), <code>{a,b}</code> alternatives (nested allowed,
 * at most {@value #MAX_ALTERNATIVES} in all), {@code \} makes the next character literal. A leading
 * {@code ./}, empty and {@code .} segments and repeated slashes are dropped, and a trailing
 * {@code /} unless the last name has a dot (there it marks a directory: {@code docs/v1.2/}); the
 * text without them is the pattern's {@link #text()}.
 *
 * <p>Rejected (400 naming the field): empty, over {@value #MAX_LENGTH} characters, control
 * characters, a leading {@code /}, a {@code ..} segment, an unbalanced {@code [}, <code>{</code> or
 * <code>}</code>, a {@code /} in a class, a reversed range, an escape at the end or before {@code /}.
 * A {@code ]} outside a class is an ordinary character.
 *
 * <p>What a reservation covers: every path it matches and, where such a path is a directory,
 * everything beneath it. The service never sees the workspace, so it guesses which paths are
 * directories: one written with a trailing {@code /}, or whose last segment has no {@code .} after
 * its first character ({@code src}, {@code .github}, {@code *}, {@code **}, also {@code Makefile});
 * and one the other pattern goes on beneath from a name with a dot ({@code conf.d} in
 * {@code conf.d/**}, {@code x.d} in {@code *.d/y}). Otherwise a name with a dot ({@code a.ts},
 * {@code *.java}) is taken as a file, so {@code src/**}{@code /*.java} and
 * {@code src/x/a.ts} are apart. A pattern with a class also covers the path it spells with its
 * brackets read as characters: {@code app/[id]/page.tsx} covers {@code app/i/page.tsx} and the file
 * {@code app/[id]/page.tsx} (which {@code app/\[id\]/page.tsx} names alone), since frameworks
 * name folders so.
 *
 * <p>{@link #overlaps} says whether two patterns can cover a common file: exact (under the guess
 * above) unless both sides have wildcards, where it is conservative (see the method).
 */
final class PathPattern {

  static final int MAX_LENGTH = 500;
  static final int MAX_ALTERNATIVES = 16;

  /** One brace alternative: its segments, and whether it was written with a trailing '/'. */
  private record Alternative(List<Segment> segments, boolean trailingSlash) {

    boolean isLiteral() {
      return segments.stream().allMatch(Segment::isLiteral);
    }

    Segment last() {
      return segments.get(segments.size() - 1);
    }

    /** The guess: written as a directory, or a last segment that does not look like a file name. */
    boolean mayBeDirectory() {
      return trailingSlash || !last().looksLikeFile();
    }
  }

  private final String text;
  private final List<Alternative> alternatives;

  private PathPattern(String text, List<Alternative> alternatives) {
    this.text = text;
    this.alternatives = alternatives;
  }

  /** The pattern as stored and compared: the input without {@code ./}, empty or {@code .} segments, repeated or needless slashes. */
  String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  /** Reads {@code raw}; every problem is a 400 naming {@code field}. */
  static PathPattern parse(String raw, String field) {
    if (raw == null || raw.isEmpty()) {
      throw invalid(field, "must not be empty");
    }
    if (raw.length() > MAX_LENGTH) {
      throw invalid(field, "must be at most " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      if (Character.isISOControl(raw.charAt(i))) {
        throw invalid(field, "must not contain control characters");
      }
    }
    if (raw.startsWith("/")) {
      throw invalid(field, "must be relative to the workspace (no leading '/')");
    }
    String text = normalize(raw);
    if (text.isEmpty()) {
      throw invalid(field, "must name a path in the workspace (use '**' for all of it)");
    }
    List<Alternative> alternatives = alternatives(text, field);
    if (text.indexOf('[') >= 0) {
      // Folders named like "[id]" are common (Next.js, SvelteKit): the path spelled with its
      // brackets read as characters is covered too, so both spellings of it meet.
      alternatives.addAll(alternatives(bracketsAsCharacters(text), field));
    }
    return new PathPattern(text, List.copyOf(alternatives));
  }

  private static List<Alternative> alternatives(String text, String field) {
    List<Token> tokens = new Lexer(text, field).tokens();
    List<List<Token>> expanded = new BraceExpander(tokens, field).expand();
    List<Alternative> alternatives = new ArrayList<>(expanded.size());
    for (List<Token> alternative : expanded) {
      alternatives.add(alternative(alternative, field));
    }
    return alternatives;
  }

  /** The text with every unescaped '[' and ']' escaped. */
  private static String bracketsAsCharacters(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        out.append(c).append(text.charAt(++i));
      } else {
        if (c == '[' || c == ']') {
          out.append('\\');
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Drops empty and {@code .} segments, keeping one trailing '/' if there was one; a '/' is never
   * escaped or inside a class, so splitting on it is safe.
   */
  private static String normalize(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (String part : raw.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(part);
    }
    // The trailing '/' says "a directory" only where the last name would pass for a file's.
    if (!out.isEmpty() && raw.endsWith("/") && out.indexOf(".", out.lastIndexOf("/") + 2) >= 0) {
      out.append('/');
    }
    return out.toString();
  }

  /** The other spelling of the same path: with a trailing '/' if it has none, else without. */
  String otherSpelling() {
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text + "/";
  }

  /** One alternative's segments, normalized as {@link #normalize} does the whole text (braces can hold slashes). */
  private static Alternative alternative(List<Token> tokens, String field) {
    if (!tokens.isEmpty() && tokens.get(0).kind() == Kind.SLASH) {
      throw invalid(field, "must be relative to the workspace (an alternative starts with '/')");
    }
    List<Segment> segments = new ArrayList<>();
    List<Token> current = new ArrayList<>();
    for (Token token : tokens) {
      if (token.kind() == Kind.SLASH) {
        addSegment(segments, current, field);
        current = new ArrayList<>();
      } else {
        current.add(token);
      }
    }
    addSegment(segments, current, field);
    if (segments.isEmpty()) {
      throw invalid(field, "has an alternative that names no path");
    }
    boolean trailingSlash = !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() == Kind.SLASH;
    return new Alternative(List.copyOf(segments), trailingSlash);
  }

  private static void addSegment(List<Segment> segments, List<Token> tokens, String field) {
    if (tokens.isEmpty()) {
      return;
    }
    Segment segment = Segment.of(tokens);
    if (segment.isLiteral() && segment.literal().equals(".")) {
      return;
    }
    if (segment.isLiteral() && segment.literal().equals("..")) {
      throw invalid(field, "must not contain a '..' segment");
    }
    // "**/**" is "**".
    if (segment.isGlobstar() && !segments.isEmpty() && segments.get(segments.size() - 1).isGlobstar()) {
      return;
    }
    segments.add(segment);
  }

  static ApiException invalid(String field, String rule) {
    return ApiException.badRequest("'" + field + "' " + rule);
  }

  // ---------------------------------------------------------------------------------------------
  // Overlap

  /**
   * Whether some file could be covered by both patterns. Each pair of brace alternatives is
   * compared; a pair overlaps when:
   *
   * <ul>
   *   <li>both are literal: they are equal, or one is a path beneath the other (which is then a
   *       directory);
   *   <li>one is literal: the glob matches the literal or one of its ancestors, or it matches a
   *       path beneath the literal and the literal may be a directory (see the class) (exact);
   *   <li>both have wildcards (conservative): segment by segment from the start, up to the first
   *       {@code **} on either side, every pair of segments can match a common name (equal
   *       literals; a literal the other segment matches; two wildcard segments whose literal
   *       beginnings are prefixes of one another and literal endings suffixes of one another);
   *       where one pattern ends first, its last match may be a directory (see the class). So {@code src/*.java} and {@code src/*.ts} are apart,
   *       {@code src/**} and {@code src/a/*.ts} overlap, and {@code src/a*} and {@code lib/*}
   *       are apart.
   * </ul>
   */
  boolean overlaps(PathPattern other) {
    for (Alternative a : alternatives) {
      for (Alternative b : other.alternatives) {
        if (overlap(a, b)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean overlap(Alternative a, Alternative b) {
    if (a.isLiteral() && b.isLiteral()) {
      return isSegmentPrefix(a.segments(), b.segments()) || isSegmentPrefix(b.segments(), a.segments());
    }
    if (a.isLiteral()) {
      return globMeetsLiteral(b.segments(), a);
    }
    if (b.isLiteral()) {
      return globMeetsLiteral(a.segments(), b);
    }
    return globsMayMeet(a, b) || globsMayMeet(b, a);
  }

  private static boolean isSegmentPrefix(List<Segment> shorter, List<Segment> longer) {
    if (shorter.size() > longer.size()) {
      return false;
    }
    for (int i = 0; i < shorter.size(); i++) {
      if (!shorter.get(i).literal().equals(longer.get(i).literal())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Exact: whether {@code glob} matches the literal or one of its ancestors (it then covers the
   * literal), or matches a path beneath it while the literal may be a directory.
   * {@code reach[i][j]}: the glob's first i segments can match the literal's first j.
   */
  private static boolean globMeetsLiteral(List<Segment> glob, Alternative literal) {
    List<Segment> path = literal.segments();
    int m = glob.size();
    int n = path.size();
    boolean[][] reach = new boolean[m + 1][n + 1];
    reach[0][0] = true;
    for (int i = 0; i <= m; i++) {
      for (int j = 0; j <= n; j++) {
        if (!reach[i][j] || i == m) {
          continue;
        }
        Segment segment = glob.get(i);
        if (segment.isGlobstar()) {
          reach[i + 1][j] = true;
          if (j < n) {
            reach[i][j + 1] = true;
          }
        } else if (j < n && segment.matches(path.get(j).literal())) {
          reach[i + 1][j + 1] = true;
        }
      }
    }
    for (int j = 0; j <= n; j++) {
      if (reach[m][j]) {
        return true;
      }
    }
    // Segments left over after the whole literal match something beneath it, if it is a directory.
    for (int i = 0; i < m; i++) {
      if (reach[i][n]) {
        if (literal.mayBeDirectory() || namesDottedDirectory(glob, i, path, reach)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the glob's segment i-1 consumed the literal's last name and, having a dot itself, calls it a directory ({@code conf.d/**}). */
  private static boolean namesDottedDirectory(List<Segment> glob, int i, List<Segment> path, boolean[][] reach) {
    int n = path.size();
    if (i == 0 || n == 0) {
      return false;
    }
    Segment segment = glob.get(i - 1);
    return !segment.isGlobstar() && segment.looksLikeFile() && reach[i - 1][n - 1] && segment.matches(path.get(n - 1).literal());
  }

  /** Conservative, for two patterns with wildcards, looking at the case where {@code a} ends first (or with {@code b}). */
  private static boolean globsMayMeet(Alternative a, Alternative b) {
    List<Segment> x = a.segments();
    List<Segment> y = b.segments();
    if (x.size() > y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      if (x.get(i).isGlobstar() || y.get(i).isGlobstar()) {
        return true;
      }
      if (!x.get(i).mayMatchSameName(y.get(i))) {
        return false;
      }
    }
    return x.size() == y.size() || a.mayBeDirectory() || y.get(x.size() - 1).looksLikeFile();
  }

  // ---------------------------------------------------------------------------------------------
  // Tokens and segments

  enum Kind { CHAR, STAR, ONE, CLASS, SLASH, OPEN, COMMA, CLOSE }

  /** A lexical unit: a literal character ({@code c}), a wildcard, a class, or brace punctuation. */
  record Token(Kind kind, char c, CharClass charClass) {

    static Token of(Kind kind) {
      return new Token(kind, '\0', null);
    }

    static Token literal(char c) {
      return new Token(Kind.CHAR, c, null);
    }

    boolean isWildcard() {
      return kind == Kind.STAR || kind == Kind.ONE || kind == Kind.CLASS;
    }
  }

  /** A bracket expression: characters and ranges, possibly negated. */
  record CharClass(boolean negated, String singles, List<char[]> ranges) {

    boolean matches(char c) {
      boolean in = singles.indexOf(c) >= 0;
      for (char[] range : ranges) {
        in |= c >= range[0] && c <= range[1];
      }
      return in != negated;
    }
  }

  /** Turns the text into tokens; braces, commas and classes are recognised here, escapes resolved. */
  private static final class Lexer {

    private final String text;
    private final String field;
    private int pos;

    Lexer(String text, String field) {
      this.text = text;
      this.field = field;
    }

    List<Token> tokens() {
      List<Token> tokens = new ArrayList<>();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        switch (c) {
          case '\\' -> tokens.add(Token.literal(escaped()));
          case '*' -> tokens.add(Token.of(Kind.STAR));
          case '?' -> tokens.add(Token.of(Kind.ONE));
          case '[' -> tokens.add(new Token(Kind.CLASS, '\0', charClass()));
          case '/' -> tokens.add(Token.of(Kind.SLASH));
          case '{' -> tokens.add(Token.of(Kind.OPEN));
          case ',' -> tokens.add(Token.of(Kind.COMMA));
          case '}' -> tokens.add(Token.of(Kind.CLOSE));
          default -> tokens.add(Token.literal(c));
        }
      }
      return tokens;
    }

    private char escaped() {
      if (pos >= text.length()) {
        throw invalid(field, "ends with an unfinished escape '\\'");
      }
      char c = text.charAt(pos++);
      if (c == '/') {
        throw invalid(field, "must not escape '/'");
      }
      return c;
    }

    /** After '[': members up to the closing ']'; a ']' first is a member. */
    private CharClass charClass() {
      boolean negated = false;
      if (pos < text.length() && (text.charAt(pos) == '!' || text.charAt(pos) == '^')) {
        negated = true;
        pos++;
      }
      StringBuilder singles = new StringBuilder();
      List<char[]> ranges = new ArrayList<>();
      boolean first = true;
      while (true) {
        if (pos >= text.length()) {
          throw invalid(field, "has an unbalanced '['");
        }
        char c = text.charAt(pos++);
        if (c == ']' && !first) {
          break;
        }
        first = false;
        if (c == '/') {
          throw invalid(field, "must not have '/' inside '[…]'");
        }
        if (c == '\\') {
          c = escaped();
        }
        // A range: c-d, unless the '-' is the last member.
        if (pos + 1 < text.length() && text.charAt(pos) == '-' && text.charAt(pos + 1) != ']') {
          pos++;
          char end = text.charAt(pos++);
          if (end == '/') {
            throw invalid(field, "must not have '/' inside '[…]'");
          }
          if (end == '\\') {
            end = escaped();
          }
          if (end < c) {
            throw invalid(field, "has a reversed range '" + c + "-" + end + "'");
          }
          ranges.add(new char[] {c, end});
        } else {
          singles.append(c);
        }
      }
      return new CharClass(negated, singles.toString(), List.copyOf(ranges));
    }
  }

  /** Expands {@code {a,b}} into alternatives; outside braces a comma is an ordinary character. */
  private static final class BraceExpander {

    private final List<Token> tokens;
    private final String field;
    private int pos;

    BraceExpander(List<Token> tokens, String field) {
      this.tokens = tokens;
      this.field = field;
    }

    List<List<Token>> expand() {
      List<List<Token>> result = sequence(false);
      if (pos < tokens.size()) {
        throw invalid(field, "has an unbalanced '}' (write '\\}' for the character)");
      }
      return result;
    }

    /** A run of tokens up to a ',' or '}' of the enclosing brace (inside) or the end. */
    private List<List<Token>> sequence(boolean inside) {
      List<List<Token>> results = new ArrayList<>();
      results.add(new ArrayList<>());
      while (pos < tokens.size()) {
        Token token = tokens.get(pos);
        if (inside && (token.kind() == Kind.COMMA || token.kind() == Kind.CLOSE)) {
          break;
        }
        if (!inside && token.kind() == Kind.CLOSE) {
          break;
        }
        pos++;
        if (token.kind() == Kind.OPEN) {
          results = product(results, braces());
        } else {
          Token plain = token.kind() == Kind.COMMA ? Token.literal(',') : token;
          results.forEach(result -> result.add(plain));
        }
      }
      return results;
    }

    /** After '{': alternatives separated by ',' up to the matching '}'. */
    private List<List<Token>> braces() {
      List<List<Token>> alternatives = new ArrayList<>();
      while (true) {
        alternatives.addAll(sequence(true));
        checkSize(alternatives.size());
        if (pos >= tokens.size()) {
          throw invalid(field, "has an unbalanced '{'");
        }
        Kind kind = tokens.get(pos++).kind();
        if (kind == Kind.CLOSE) {
          return alternatives;
        }
      }
    }

    private List<List<Token>> product(List<List<Token>> prefixes, List<List<Token>> suffixes) {
      checkSize((long) prefixes.size() * suffixes.size());
      List<List<Token>> out = new ArrayList<>();
      for (List<Token> prefix : prefixes) {
        for (List<Token> suffix : suffixes) {
          List<Token> joined = new ArrayList<>(prefix);
          joined.addAll(suffix);
          out.add(joined);
        }
      }
      return out;
    }

    private void checkSize(long alternatives) {
      if (alternatives > MAX_ALTERNATIVES) {
        throw invalid(field, "expands to more than " + MAX_ALTERNATIVES + " alternatives");
      }
    }
  }

  /** One segment between slashes: {@code **}, a literal name, or a wildcard pattern for one name. */
  static final class Segment {

    private final List<Token> tokens;
    private final String literal;
    private final boolean globstar;

    private Segment(List<Token> tokens, String literal, boolean globstar) {
      this.tokens = tokens;
      this.literal = literal;
      this.globstar = globstar;
    }

    static Segment of(List<Token> tokens) {
      if (tokens.size() == 2 && tokens.get(0).kind() == Kind.STAR && tokens.get(1).kind() == Kind.STAR) {
        return new Segment(List.copyOf(tokens), null, true);
      }
      if (tokens.stream().noneMatch(Token::isWildcard)) {
        StringBuilder name = new StringBuilder();
        tokens.forEach(token -> name.append(token.c()));
        return new Segment(List.copyOf(tokens), name.toString(), false);
      }
      return new Segment(List.copyOf(tokens), null, false);
    }

    boolean isGlobstar() {
      return globstar;
    }

    /** A name with a '.' after its first character ({@code a.ts}, {@code *.java}) is taken as a file's. */
    boolean looksLikeFile() {
      if (globstar) {
        return false;
      }
      for (int i = 1; i < tokens.size(); i++) {
        if (tokens.get(i).kind() == Kind.CHAR && tokens.get(i).c() == '.') {
          return true;
        }
      }
      return false;
    }

    boolean isLiteral() {
      return literal != null;
    }

    String literal() {
      return literal;
    }

    /** Whether this segment (a literal or a wildcard pattern, never {@code **}) matches the name exactly. */
    boolean matches(String name) {
      if (literal != null) {
        return literal.equals(name);
      }
      int k = tokens.size();
      int n = name.length();
      // can[i][j]: the first i tokens match the first j characters.
      boolean[][] can = new boolean[k + 1][n + 1];
      can[0][0] = true;
      for (int i = 0; i < k; i++) {
        Token token = tokens.get(i);
        for (int j = 0; j <= n; j++) {
          if (!can[i][j]) {
            continue;
          }
          switch (token.kind()) {
            case STAR -> {
              for (int end = j; end <= n; end++) {
                can[i + 1][end] = true;
              }
            }
            case ONE -> {
              if (j < n) {
                can[i + 1][j + 1] = true;
              }
            }
            case CLASS -> {
              if (j < n && token.charClass().matches(name.charAt(j))) {
                can[i + 1][j + 1] = true;
              }
            }
            default -> {
              if (j < n && token.c() == name.charAt(j)) {
                can[i + 1][j + 1] = true;
              }
            }
          }
        }
      }
      return can[k][n];
    }

    /** Conservative for two wildcard segments: their literal beginnings and endings must agree. */
    boolean mayMatchSameName(Segment other) {
      if (isLiteral()) {
        return other.matches(literal);
      }
      if (other.isLiteral()) {
        return matches(other.literal);
      }
      String p = literalHead();
      String q = other.literalHead();
      String s = literalTail();
      String t = other.literalTail();
      return (p.startsWith(q) || q.startsWith(p)) && (s.endsWith(t) || t.endsWith(s));
    }

    private String literalHead() {
      StringBuilder head = new StringBuilder();
      for (Token token : tokens) {
        if (token.isWildcard()) {
          break;
        }
        head.append(token.c());
      }
      return head.toString();
    }

    private String literalTail() {
      StringBuilder tail = new StringBuilder();
      for (int i = tokens.size() - 1; i >= 0 && !tokens.get(i).isWildcard(); i--) {
        tail.append(tokens.get(i).c());
      }
      return tail.reverse().toString();
    }
  }
}
