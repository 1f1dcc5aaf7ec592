package io.meshcode.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The repository's own files, for the tests that check the sources and documents as a whole. */
final class RepositoryFiles {

  static final Path ROOT = root();

  private RepositoryFiles() {}

  /** Every file of the repository but build output, dot folders and node modules. */
  static Stream<Path> sources() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(RepositoryFiles::isSource).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isSource(Path file) {
    String path = ROOT.relativize(file).toString();
    return Files.isRegularFile(file) && !path.startsWith(".") && !path.contains("/.") && !path.contains("target/")
        && !path.contains("node_modules");
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("libs/core")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
