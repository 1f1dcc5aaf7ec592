package io.meshcode.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The POSIX way, on this machine's file system (Linux; macOS takes the same path). */
class PrivateFilesTest {

  @TempDir
  Path dir;

  @Test
  @DisplayName("a private folder is made 0700 with its parents, and an existing wider one is tightened")
  void folders() throws Exception {
    Path made = PrivateFiles.directory(dir.resolve("a/b"));
    assertThat(mode(made)).isEqualTo("rwx------");
    Path wide = Files.createDirectory(dir.resolve("wide"));
    Files.setPosixFilePermissions(wide, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(PrivateFiles.writableByOthers(wide)).isTrue();
    PrivateFiles.directory(wide);
    assertThat(mode(wide)).isEqualTo("rwx------");
    assertThat(PrivateFiles.writableByOthers(wide)).isFalse();
  }

  @Test
  @DisplayName("a secret is written 0600 and replaced whole; nothing else is left beside it")
  void writes() throws Exception {
    Path file = dir.resolve("owner.key");
    PrivateFiles.write(file, "one");
    PrivateFiles.write(file, "two");
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(PrivateFiles.ownedByCurrentUser(file)).isTrue();
    try (var children = Files.list(dir)) {
      assertThat(children).containsExactly(file);
    }
  }

  @Test
  @DisplayName("appending creates a 0600 file; new and temporary files are private from birth")
  void creates() throws Exception {
    Path log = dir.resolve("broker.log");
    PrivateFiles.append(log, "one");
    PrivateFiles.append(log, "two");
    assertThat(Files.readAllLines(log)).containsExactly("one", "two");
    assertThat(mode(log)).isEqualTo("rw-------");
    assertThat(mode(PrivateFiles.createFile(dir.resolve("run"), true))).isEqualTo("rwx------");
    assertThat(mode(PrivateFiles.createTempFile(dir, "pw", ""))).isEqualTo("rw-------");
    assertThat(mode(PrivateFiles.createTempDirectory(dir, "unpack"))).isEqualTo("rwx------");
  }

  @Test
  @DisplayName("restricting a tree makes folders 0700 and files 0600, keeping programs runnable by their owner")
  void restrictsTrees() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("kafka/logs"));
    Path data = Files.writeString(tree.resolve("data"), "x");
    Path program = Files.writeString(tree.resolve("run"), "x");
    Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-rw-r--"));
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));

    PrivateFiles.restrictTree(dir.resolve("kafka"));

    assertThat(mode(dir.resolve("kafka"))).isEqualTo("rwx------");
    assertThat(mode(tree)).isEqualTo("rwx------");
    assertThat(mode(data)).isEqualTo("rw-------");
    assertThat(mode(program)).isEqualTo("rwx------");
  }

  @Test
  @DisplayName("a file system with neither POSIX modes nor ACLs is refused with a reason, and nothing is written")
  void refusesFileSystemsWithoutAccessControl() throws Exception {
    Path zip = dir.resolve("plain.zip");
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + zip.toUri()), Map.of("create", "true"))) {
      Path secret = fs.getPath("/secret");
      assertThatThrownBy(() -> PrivateFiles.write(secret, "key"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("neither POSIX permissions nor ACLs");
      assertThat(Files.exists(secret)).isFalse();
    }
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
