package io.meshcode.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.http.ApiException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Paths and globs, and when two of them overlap")
class PathPatternTest {

  private static PathPattern p(String text) {
    return PathPattern.parse(text, "paths[0]");
  }

  private static boolean overlap(String a, String b) {
    boolean ab = p(a).overlaps(p(b));
    assertThat(p(b).overlaps(p(a))).as("symmetric: " + a + " / " + b).isEqualTo(ab);
    return ab;
  }

  @ParameterizedTest(name = "{0} and {1} overlap")
  @DisplayName("overlap when some file can be covered by both")
  @CsvSource(delimiter = '|', value = {
      // Literal and literal: equal, or one is a directory of the other.
      "src/a.java | src/a.java",
      "src | src/a.java",
      "src/ | src/a.java",
      "./src/x/ | src/x/deep/er.txt",
      "src//x | src/x",
      // Literal and glob: exact.
      "src/**/*.java | src/x/a.java",
      "src/**/*.java | src/a.java",
      "src/**/*.java | src",
      "src/*.java | src/a.java",
      "src/* | src/x/a.ts",
      "src/? | src/a/b",
      "src/[a-c].md | src/b.md",
      "src/[!a-c].md | src/d.md",
      "** | anything/at/all",
      "**/README.md | docs/README.md",
      "**/README.md | README.md",
      "src/{main,test}/**/*.java | src/test/x/A.java",
      "app/\\[id\\]/page.tsx | app/[id]/page.tsx",
      "app/[id]/page.tsx | app/i/page.tsx",
      "app/[...slug]/page.tsx | app/[...slug]",
      "conf.d/** | conf.d",
      "docs/v1.2/ | docs/**/*.md",
      "Makefile | **/*.java",
      "src/* | src/*/a.java",
      "src/x.d | src/*.d/y",
      // Glob and glob: conservative.
      "src/**/*.java | src/**/*.ts",
      "src/** | src/a/*.ts",
      "src/a* | src/*",
      "src/*.java | src/*.java",
      "src/*/a.java | src/x*/*.java",
      "** | lib/*.ts",
      "src/*.d | src/*.d/*",
  })
  void overlapping(String a, String b) {
    assertThat(overlap(a, b)).isTrue();
  }

  @ParameterizedTest(name = "{0} and {1} are apart")
  @DisplayName("are apart when no file can be covered by both")
  @CsvSource(delimiter = '|', value = {
      "src/a.java | src/b.java",
      "src | srcx/a.java",
      "src/a | src/ab",
      "src/**/*.java | src/x/a.ts",
      "src/**/*.java | lib/a.java",
      "src/*.java | src/x/a.java",
      "src/[a-c].md | src/d.md",
      "src/[!a-c].md | src/b.md",
      "src/? | src/ab",
      "**/README.md | docs/readme.md",
      "src/{main,test}/*.java | src/other/A.java",
      "app/\\[id\\]/page.tsx | app/i/page.tsx",
      "src/*.java | src/*.ts",
      "src/a* | lib/*",
      "src/a*/x | src/b*/x",
      "src/*/a.java | src/*/b.java",
      "src/{a,b}/*.java | src/c/*.java",
      "*.md | docs",
      "src/x/a.ts | src/**/*.java",
      "docs/v1.2 | docs/**/*.md",
      "src/*.java | src/*/x.ts",
      "src/*.md | src/*/a.java",
      "src/a.java | src/*/x.ts",
      "*/x | a*/y/z*",
  })
  void apart(String a, String b) {
    assertThat(overlap(a, b)).isFalse();
  }

  @ParameterizedTest(name = "{0} is stored as {1}")
  @DisplayName("are normalized before they are stored and compared")
  @CsvSource(delimiter = '|', value = {
      "src/ | src",
      "./src/a.java | src/a.java",
      "src//a/./b// | src/a/b",
      "docs/v1.2/ | docs/v1.2/",
      ".github/ | .github",
      "**/**/x | **/**/x",
      "{a,b}/c | {a,b}/c",
  })
  void normalized(String raw, String stored) {
    assertThat(p(raw).text()).isEqualTo(stored);
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @DisplayName("malformed paths and globs are 400 naming the field")
  @CsvSource(delimiter = '|', value = {
      "'' | must not be empty",
      "/etc/passwd | relative to the workspace",
      "../outside | '..'",
      "src/../../etc | '..'",
      "src/[abc | unbalanced '['",
      "src/[a/b]/x | '/' inside",
      "src/{a,b | unbalanced '{'",
      "src/a,b} | unbalanced '}'",
      "src/[z-a] | reversed range",
      "src/x\\ | unfinished escape",
      "src\\/x | must not escape '/'",
      ". | must name a path",
      "./ | must name a path",
      "{/etc,src} | relative to the workspace",
      "{..,src}/x | '..'",
      "{,src} | names no path",
      "{a,b}{c,d}{e,f}{g,h}{i,j} | more than 16 alternatives",
  })
  void malformed(String raw, String problem) {
    assertThatThrownBy(() -> p(raw))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("'paths[0]' ")
        .hasMessageContaining(problem)
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
  }

  @Test
  @DisplayName("control characters, NUL included, and paths over 500 characters are refused")
  void controlAndLength() {
    for (String raw : new String[] {"src/a\u0000b", "src/\nx", "src/\tx", "src/\u007fx"}) {
      assertThatThrownBy(() -> p(raw)).hasMessageContaining("control characters");
    }
    assertThat(p("a/" + "b".repeat(498)).text()).hasSize(500);
    assertThatThrownBy(() -> p("a/" + "b".repeat(499))).hasMessageContaining("at most 500 characters");
  }

  @Test
  @DisplayName("stars, classes and escapes match within one segment only")
  void segments() {
    assertThat(overlap("src/*", "src/a/b")).as("a star's match covers what lies beneath it").isTrue();
    assertThat(overlap("*.java", "src/a.java")).as("a star never crosses '/'").isFalse();
    assertThat(overlap("[]]x", "]x")).as("']' first in a class is a member").isTrue();
    assertThat(overlap("a]b", "a]b")).as("']' outside a class is a character").isTrue();
    assertThat(overlap("x[a-]", "x-")).as("'-' last in a class is a member").isTrue();
    assertThat(overlap("x[^a]", "xa")).as("'^' negates like '!'").isFalse();
    assertThat(overlap("*a*a*a*a*a*a*a*a*b", "a".repeat(400))).as("no catastrophic backtracking").isFalse();
  }
}
