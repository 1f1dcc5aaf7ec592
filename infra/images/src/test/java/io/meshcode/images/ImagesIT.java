package io.meshcode.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshcode.images.ImageTarball.Entry;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

@DisplayName("The service images")
class ImagesIT {

  private static final Path ROOT = Path.of("..", "..");
  private static final String VERSION = System.getProperty("meshcode.version");
  private static final String BASE_IMAGE = System.getProperty("meshcode.base.image");
  /** File names that hold or suggest credentials; none belongs in an image. */
  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i)(^|/)(\\.git|\\.ssh|\\.aws|\\.docker|\\.m2|\\.gnupg)(/|$)|\\.(pem|key|p12|pfx|jks|keystore|kdbx|env)$"
          + "|(^|/)(id_rsa|id_ecdsa|id_ed25519|\\.netrc|\\.npmrc|\\.pgpass|credentials|settings\\.xml)$");
  private static final Map<String, ImageTarball> IMAGES = new LinkedHashMap<>();
  private static ImageTarball base;

  @BeforeAll
  static void open() throws IOException {
    assertThat(VERSION).as("meshcode.version, set by the pom").isNotBlank();
    for (ServiceImage service : ServiceImage.ALL) {
      IMAGES.put(service.name(), ImageTarball.open(service.tarball()));
    }
    base = ImageTarball.open(ServiceImage.imagesDir().resolve("meshcode-base.tar"));
    // For the report: what a deployment pulls.
    for (ServiceImage service : ServiceImage.ALL) {
      System.out.printf("%s: %.1f MB%n", service.tarball().getFileName(), Files.size(service.tarball()) / 1e6);
    }
    System.out.printf("meshcode-base.tar: %.1f MB%n", Files.size(ServiceImage.imagesDir().resolve("meshcode-base.tar")) / 1e6);
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.meshcode.images.ServiceImage#ALL")
  @DisplayName("are named and exposed as the Kubernetes manifests run them: meshcode/<service>:<version> on the service's port, as user 10001")
  void matchTheManifests(ServiceImage service) throws IOException {
    ImageTarball image = IMAGES.get(service.name());
    assertThat(image.repoTags()).containsExactly(service.repository() + ":" + VERSION);
    assertThat(image.runConfig().getJsonObject("ExposedPorts").fieldNames()).containsExactly(service.port() + "/tcp");

    String deployment = Files.readString(ROOT.resolve("infra/k8s/base/" + service.name() + ".yaml"));
    assertThat(only(deployment, "image: (\\S+)")).isEqualTo(service.repository());
    assertThat(only(deployment, "containerPort: (\\d+)")).isEqualTo(Integer.toString(service.port()));
    assertThat(deployment).contains("runAsUser: 10001", "runAsGroup: 10001", "readOnlyRootFilesystem: true", "mountPath: /tmp");
    String kustomization = Files.readString(ROOT.resolve("infra/k8s/base/kustomization.yaml"));
    assertThat(kustomization).containsPattern("- name: " + Pattern.quote(service.repository()) + "\\s+newTag: " + Pattern.quote(VERSION));
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.meshcode.images.ServiceImage#ALL")
  @DisplayName("start the service's Main from its jar with java on the PATH, as 10001:10001, with container-aware JVM options and no configuration baked in")
  void startTheService(ServiceImage service) throws IOException {
    ImageTarball image = IMAGES.get(service.name());
    JsonObject run = image.runConfig();
    assertThat(run.getJsonArray("Entrypoint").getList()).containsExactly("java", "-cp", "/app/" + service.jarName(), service.mainClass());
    assertThat(run.getJsonArray("Cmd")).as("arguments after the main class").isNull();
    assertThat(run.getString("User")).isEqualTo("10001:10001");
    assertThat(run.getString("WorkingDir", "")).isIn("", "/");
    assertThat(image.config().getString("os")).isEqualTo("linux");
    assertThat(image.config().getString("architecture")).isEqualTo(dockerArchitecture());

    Map<String, String> env = environment(run);
    List<String> options = Arrays.asList(env.getOrDefault("JDK_JAVA_OPTIONS", "").split(" "));
    assertThat(options).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp")
        .as("a fixed heap ignores the container's memory limit").noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-Xms"));
    assertThat(env.keySet()).as("configuration and secrets come from the deployment").noneMatch(k -> k.startsWith("MESHCODE_"));

    Map<String, Entry> files = files(image);
    assertThat(env.get("PATH").split(":")).as("java on the PATH")
        .anySatisfy(dir -> assertThat(files.get(relative(dir) + "/java")).isNotNull()
            .satisfies(java -> assertThat(java.symbolicLink() || (java.mode() & 0111) == 0111).isTrue()));
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.meshcode.images.ServiceImage#ALL")
  @DisplayName("carry the version, the git commit, title, source and licences as OCI labels")
  void labels(ServiceImage service) throws Exception {
    Map<String, Object> labels = IMAGES.get(service.name()).runConfig().getJsonObject("Labels").getMap();
    assertThat(labels).containsEntry("org.opencontainers.image.version", VERSION)
        .containsEntry("org.opencontainers.image.revision", checkoutRevision())
        .containsEntry("org.opencontainers.image.title", "meshcode-" + service.name())
        .containsKeys("org.opencontainers.image.source", "org.opencontainers.image.licenses");
  }

  @ParameterizedTest(name = "{0}")
  @FieldSource("io.meshcode.images.ServiceImage#ALL")
  @DisplayName("add one layer to the base: the service's runnable jar, byte for byte as its module built it, read-only for the service, with no secret in it")
  void oneLayerWithTheJar(ServiceImage service) throws Exception {
    ImageTarball image = IMAGES.get(service.name());
    int top = image.layers().size() - 1;
    List<Entry> entries = image.entries(top);
    assertThat(entries).extracting(Entry::path).containsExactly("app", "app/" + service.jarName());
    assertThat(entries).allSatisfy(e -> {
      assertThat(e.uid()).as(e.path() + " owned by root").isZero();
      assertThat(e.mode() & 0022).as(e.path() + " writable only by its owner").isZero();
    });
    List<String> digests = new ArrayList<>();
    image.readFiles(top, (entry, content) -> digests.add(sha256(content)));
    try (InputStream built = Files.newInputStream(service.builtJar())) {
      assertThat(digests).containsExactly(sha256(built));
    }

    try (JarFile jar = new JarFile(service.builtJar().toFile())) {
      assertThat(jar.getEntry(service.mainClass().replace('.', '/') + ".class")).as("the main class").isNotNull();
      List<String> resources = new ArrayList<>();
      for (JarEntry entry : jar.stream().filter(e -> !e.isDirectory() && !e.getName().endsWith(".class")).toList()) {
        assertThat(entry.getName()).as("a credential file in the jar").doesNotContainPattern(SECRET_NAME);
        try (InputStream in = jar.getInputStream(entry)) {
          if (new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains("PRIVATE KEY-----")) {
            resources.add(entry.getName());
          }
        }
      }
      assertThat(resources).as("resources holding a private key").isEmpty();
    }
    for (int layer = 0; layer < image.layers().size(); layer++) {
      assertThat(image.entries(layer)).extracting(Entry::path).as("credential files in layer " + layer)
          .noneMatch(path -> SECRET_NAME.matcher(path).find());
    }
  }

  @Test
  @DisplayName("share one base, so a node or registry holds its layers once")
  void shareTheBase() {
    assumeTrue(BASE_IMAGE.equals("tar://" + ServiceImage.imagesDir().resolve("meshcode-base.tar")),
        "the images were built on " + BASE_IMAGE + " rather than the base this module makes; the everyday build"
            + " (./mvnw verify, as CI runs it) checks that base");
    for (ImageTarball image : IMAGES.values()) {
      assertThat(image.layers()).hasSize(base.layers().size() + 1).startsWith(base.layers().toArray(String[]::new));
      assertThat(image.config().getJsonObject("rootfs").getJsonArray("diff_ids").getList())
          .startsWith(base.config().getJsonObject("rootfs").getJsonArray("diff_ids").getList().toArray());
    }
  }

  @Test
  @DisplayName("base: a jlinked runtime of the build JDK with the configured modules and no desktop libraries, user and group 10001, no shell, nothing writable but /tmp, and small")
  void base() throws IOException {
    Map<String, Entry> files = files(base);
    Map<String, String> contents = new HashMap<>();
    for (int layer = 0; layer < base.layers().size(); layer++) {
      base.readFiles(layer, (entry, content) -> {
        if (List.of("etc/passwd", "etc/group", "opt/java/openjdk/release").contains(entry.path())) {
          contents.put(entry.path(), new String(content.readAllBytes(), StandardCharsets.UTF_8));
        }
      });
    }
    assertThat(contents.get("etc/passwd")).containsPattern("(?m)^meshcode:x:10001:10001:[^:]*:[^:]*:/sbin/nologin$");
    assertThat(contents.get("etc/group")).containsPattern("(?m)^meshcode:x:10001:$");

    Properties release = new Properties();
    release.load(new StringReader(contents.get("opt/java/openjdk/release")));
    assertThat(release.getProperty("JAVA_VERSION")).as("the base's Java follows the build JDK")
        .isEqualTo("\"" + System.getProperty("java.version") + "\"");
    List<String> modules = List.of(release.getProperty("MODULES").replace("\"", "").split(" "));
    assertThat(modules).containsAll(List.of(System.getProperty("meshcode.base.modules").split(",")))
        .doesNotContain("jdk.jdwp.agent", "jdk.attach", "jdk.jshell", "jdk.compiler");
    assertThat(files.keySet()).as("java.desktop's native libraries, and the X11, font and sound libraries they load")
        .noneMatch(path -> path.matches(".*/lib(awt|fontmanager|jsound|splashscreen|X11|freetype|asound)[^/]*\\.so[^/]*"));

    assertThat(files.get("opt/java/openjdk/bin/java").mode() & 0777).isEqualTo(0755);
    assertThat(files.get("tmp")).satisfies(tmp -> assertThat(tmp.directory()).isTrue())
        .satisfies(tmp -> assertThat(tmp.mode() & 0777).isEqualTo(0777));
    assertThat(files).doesNotContainKeys("bin/sh", "usr/bin/sh", "bin/bash");
    assertThat(files.values()).allSatisfy(e -> {
      assertThat(e.uid()).as(e.path()).isZero();
      assertThat(e.gid()).as(e.path()).isZero();
      assertThat(e.mode() & 06000).as(e.path() + " setuid or setgid").isZero();
      if (!e.path().equals("tmp")) {
        assertThat(e.mode() & 0002).as(e.path() + " writable by anyone").isZero();
      }
    });
    long compressed = Files.size(ServiceImage.imagesDir().resolve("meshcode-base.tar"));
    assertThat(compressed).as("the base tarball's size").isLessThan(40_000_000L);
  }

  /** The commit this checkout is at, or "unknown" where it is not a git checkout: what the pom labels images with. */
  private static String checkoutRevision() throws Exception {
    Path top = ROOT.toRealPath();
    try {
      Process toplevel = new ProcessBuilder("git", "-C", top.toString(), "rev-parse", "--show-toplevel").start();
      String gitTop = new String(toplevel.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!toplevel.waitFor(30, TimeUnit.SECONDS) || toplevel.exitValue() != 0 || !Path.of(gitTop).toRealPath().equals(top)) {
        return "unknown";
      }
      Process head = new ProcessBuilder("git", "-C", top.toString(), "rev-parse", "--verify", "HEAD").start();
      String revision = new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(head.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(revision).matches("[0-9a-f]{40}");
      return revision;
    } catch (IOException noGit) {
      return "unknown";
    }
  }

  /** Every path of the image as the container sees it: later layers over earlier ones. */
  private static Map<String, Entry> files(ImageTarball image) throws IOException {
    Map<String, Entry> files = new HashMap<>();
    for (int layer = 0; layer < image.layers().size(); layer++) {
      image.entries(layer).forEach(e -> files.put(e.path(), e));
    }
    return files;
  }

  private static Map<String, String> environment(JsonObject run) {
    Map<String, String> env = new LinkedHashMap<>();
    run.getJsonArray("Env").forEach(v -> {
      String variable = (String) v;
      env.put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
    });
    return env;
  }

  private static String only(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as(regex).isTrue();
    String value = matcher.group(1);
    assertThat(matcher.find()).as("one match of " + regex).isFalse();
    return value;
  }

  private static String relative(String absolute) {
    return absolute.startsWith("/") ? absolute.substring(1) : absolute;
  }

  private static String dockerArchitecture() {
    String arch = System.getProperty("os.arch");
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> arch;
    };
  }

  private static String sha256(InputStream content) throws IOException {
    try {
      DigestInputStream digest = new DigestInputStream(content, MessageDigest.getInstance("SHA-256"));
      digest.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(digest.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
