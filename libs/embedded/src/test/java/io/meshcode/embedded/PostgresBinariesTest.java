package io.meshcode.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.platform.CurrentUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresBinariesTest {

  @Test
  @DisplayName("unpacks into a folder only the user can write, reuses it, and unpacks again when someone else could have changed it")
  void unpacksPrivatelyAndChecksBeforeUse() throws Exception {
    Path cache = Files.createDirectories(TestDirs.fresh("binaries").resolve("cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

    PostgresBinaries first = PostgresBinaries.prepare(cache);
    assertThat(first.home().getParent()).isEqualTo(cache.toRealPath());
    assertThat(mode(cache)).as("a cache folder others could write is tightened first").isEqualTo("rwx------");
    assertOwnerOnly(first.home());
    assertThat(first.program("postgres")).isExecutable();
    assertThat(PostgresBinaries.problem(first.home())).isEmpty();

    Path marker = first.home().resolve("share").resolve("left-by-the-first-unpacking");
    Files.createFile(marker);
    PostgresBinaries reused = PostgresBinaries.prepare(cache);
    assertThat(reused.home()).isEqualTo(first.home());
    assertThat(marker).as("a sound folder is used as it is").exists();

    Path program = first.program("postgres");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(PostgresBinaries.problem(first.home())).hasValueSatisfying(problem -> assertThat(problem).contains("writable by other users"));
    PostgresBinaries again = PostgresBinaries.prepare(cache);
    assertThat(again.home()).isEqualTo(first.home());
    assertThat(marker).as("unpacked anew").doesNotExist();
    assertThat(mode(program)).isEqualTo("rwx------");
    assertOwnerOnly(again.home());
  }

  @Test
  @DisplayName("refuses a cache folder that belongs to another user")
  void refusesAForeignCacheFolder() throws Exception {
    Path base = TestDirs.fresh("binaries-foreign");
    Path foreign = foreignFolder(base);
    List<Path> before = listing(foreign);

    assertThatThrownBy(() -> PostgresBinaries.prepare(foreign))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to another user");
    assertThat(listing(foreign)).as("nothing unpacked there").isEqualTo(before);
    assertThat(PostgresBinaries.problem(base.resolve("nothing-here"))).isPresent();
  }

  /**
   * A folder owned by another user: as root, a new one given to nobody (65534); as anyone else,
   * the file system's root, which root owns.
   */
  private static Path foreignFolder(Path base) throws IOException {
    if (!CurrentUser.isRoot()) {
      return Path.of("/");
    }
    Path foreign = Files.createDirectories(base.resolve("foreign"));
    Files.setAttribute(foreign, "unix:uid", 65534);
    return foreign;
  }

  private static List<Path> listing(Path folder) throws IOException {
    try (Stream<Path> children = Files.list(folder)) {
      return children.sorted().toList();
    }
  }

  private static void assertOwnerOnly(Path home) throws IOException {
    try (Stream<Path> walk = Files.walk(home)) {
      walk.filter(path -> !Files.isSymbolicLink(path)).forEach(path -> {
        try {
          assertThat(Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as(path.toString()).isEqualTo(CurrentUser.uid());
          assertThat(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS)).as(path.toString())
              .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE,
                  PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
    }
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
  }
}
