package io.meshcode.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time used by each part of a local mesh: the broker, PostgreSQL (its postmaster and
 * backends, which {@code pg_ctl} detaches from the launcher) and the launcher, which runs every
 * service, or, started with {@code --replicas} (every replica its own process), the service
 * replicas by service and the launcher holding only the proxies. Two samples around a run give
 * each part's CPU per message, which is what sizes a deployment.
 */
final class ProcessCpu {

  private static final Pattern SERVICE = Pattern.compile("io\\.meshcode\\.(\\w+)\\.Main");

  private ProcessCpu() {}

  /**
   * CPU time so far, by part: {@code gateway}, {@code bus}, …, {@code kafka}, {@code postgres},
   * {@code launcher (proxies)}; without replicas, {@code mesh (every service)}, {@code kafka} and {@code postgres}.
   */
  static Map<String, Duration> sample(MeshProcess mesh) {
    Map<String, Duration> byPart = new TreeMap<>();
    processes(mesh).forEach((part, processes) -> processes.forEach(process ->
        process.info().totalCpuDuration().ifPresent(cpu -> byPart.merge(part, cpu, Duration::plus))));
    return byPart;
  }

  /** The mesh's processes now, by the same parts as {@link #sample}. */
  static Map<String, List<ProcessHandle>> processes(MeshProcess mesh) {
    Map<String, List<ProcessHandle>> byPart = new TreeMap<>();
    ProcessHandle launcher = ProcessHandle.of(mesh.pid()).orElseThrow();
    // With --replicas the launcher holds only the proxies; without, it runs every service.
    add(byPart, replicas(mesh).isEmpty() ? "mesh (every service)" : "launcher (proxies)", launcher);
    List<ProcessHandle> postgres = postgres(mesh.home());
    java.util.Set<Long> postgresPids = new java.util.HashSet<>();
    postgres.forEach(process -> postgresPids.add(process.pid()));
    postgres.forEach(process -> add(byPart, "postgres", process));
    // The postmaster runs under a watchdog, a child of the launcher: count it once, as PostgreSQL.
    launcher.descendants().filter(process -> !postgresPids.contains(process.pid()))
        .forEach(process -> add(byPart, partOf(process), process));
    return byPart;
  }

  /** How many replicas of each service run now. */
  static Map<String, Integer> replicas(MeshProcess mesh) {
    Map<String, Integer> counts = new TreeMap<>();
    ProcessHandle.of(mesh.pid()).orElseThrow().descendants().forEach(process -> {
      Matcher service = SERVICE.matcher(process.info().commandLine().orElse(""));
      if (service.find()) {
        counts.merge(service.group(1), 1, Integer::sum);
      }
    });
    return counts;
  }

  private static String partOf(ProcessHandle process) {
    String command = process.info().commandLine().orElse("");
    Matcher service = SERVICE.matcher(command);
    if (service.find()) {
      return service.group(1);
    }
    return command.contains("kafka") ? "kafka" : "other";
  }

  private static List<ProcessHandle> postgres(Path home) {
    List<ProcessHandle> processes = new ArrayList<>();
    try {
      long pid = Long.parseLong(Files.readAllLines(home.resolve("dev/postgres/postmaster.pid")).get(0).trim());
      ProcessHandle.of(pid).ifPresent(postmaster -> {
        processes.add(postmaster);
        processes.addAll(postmaster.descendants().toList());
      });
    } catch (IOException | RuntimeException e) {
      // No postmaster to read: PostgreSQL's share is then missing from the table, which says so.
    }
    return processes;
  }

  private static void add(Map<String, List<ProcessHandle>> byPart, String part, ProcessHandle process) {
    byPart.computeIfAbsent(part, p -> new ArrayList<>()).add(process);
  }

  /** Each part's CPU between two samples. Processes that ended between them lose their share, so a run keeps them all alive. */
  static Map<String, Duration> between(Map<String, Duration> before, Map<String, Duration> after) {
    Map<String, Duration> used = new TreeMap<>();
    after.forEach((part, cpu) -> used.put(part, cpu.minus(before.getOrDefault(part, Duration.ZERO))));
    return used;
  }
}
