package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The repository's documents and build files point only at what the repository holds. */
@DisplayName("References in documents and build files")
class RepositoryReferencesTest {

  private static final Path ROOT = RepositoryFiles.ROOT;
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  /** A relative path in backticks or a link that climbs out of the folder it is written in. */
  private static final Pattern CLIMBING = Pattern.compile("[`(](\\.\\./[^`)\\s]*)[`)]");

  @Test
  @DisplayName("every relative link of a Markdown document leads to a file of the repository")
  void markdownLinksResolve() {
    List<String> broken = new ArrayList<>();
    markdown().forEach(doc -> {
      Matcher link = LINK.matcher(RepositoryFiles.read(doc));
      while (link.find()) {
        String target = link.group(1).replaceAll("#.*$", "");
        if (target.isEmpty() || target.matches("^[a-z]+:.*")) {
          continue;
        }
        Path resolved = doc.getParent().resolve(target).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(doc) + " -> " + link.group(1));
        }
      }
    });
    assertThat(broken).isEmpty();
  }

  @Test
  @DisplayName("no document names a path outside the repository, such as ../shared")
  void nothingOutside() {
    List<String> outside = new ArrayList<>();
    markdown().forEach(doc -> {
      Matcher climbing = CLIMBING.matcher(RepositoryFiles.read(doc));
      while (climbing.find()) {
        Path resolved = doc.getParent().resolve(climbing.group(1).replaceAll("#.*$", "")).normalize();
        if (!resolved.startsWith(ROOT)) {
          outside.add(ROOT.relativize(doc) + " -> " + climbing.group(1));
        }
      }
    });
    assertThat(outside).isEmpty();
  }

  @Test
  @DisplayName("every Markdown file a pom.xml names exists in the repository")
  void pomsNameExistingDocuments() {
    Set<String> documents = RepositoryFiles.sources().filter(file -> file.toString().endsWith(".md"))
        .map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    Pattern named = Pattern.compile("([A-Za-z0-9_./-]+\\.md)\\b");
    List<String> missing = new ArrayList<>();
    RepositoryFiles.sources().filter(file -> file.getFileName().toString().equals("pom.xml")).forEach(pom -> {
      Matcher name = named.matcher(RepositoryFiles.read(pom));
      while (name.find()) {
        String file = Path.of(name.group(1)).getFileName().toString();
        if (!documents.contains(file)) {
          missing.add(ROOT.relativize(pom) + " names " + name.group(1));
        }
      }
    });
    assertThat(missing).isEmpty();
  }

  @Test
  @DisplayName("every service has a README")
  void everyServiceHasReadme() throws Exception {
    try (var services = Files.list(ROOT.resolve("services"))) {
      List<Path> modules = services.filter(dir -> Files.exists(dir.resolve("pom.xml"))).toList();
      assertThat(modules).isNotEmpty().allSatisfy(dir -> assertThat(dir.resolve("README.md")).exists());
    }
  }

  private static List<Path> markdown() {
    return RepositoryFiles.sources().filter(file -> file.toString().endsWith(".md")).toList();
  }
}
