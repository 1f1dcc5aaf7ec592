package io.meshcode.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Fresh folders under the module's target/ directory. */
final class TestDirs {

  private static final Path ROOT = Path.of("target", "test-data").toAbsolutePath();

  private TestDirs() {
  }

  static Path fresh(String name) throws IOException {
    Path dir = ROOT.resolve(name);
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.delete(path);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
