package io.meshcode.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshcode.local.MessageStream.Answer;
import io.meshcode.local.MessageStream.Receipt;
import io.meshcode.local.MessageStream.Receiver;
import io.meshcode.local.MessageStream.Send;
import io.meshcode.local.MessageStream.Sender;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;


/**
 * Accepted means durable (DESIGN.md, "Messages and the wait loop"), checked with real processes:
 * while senders stream messages to receivers that wait and acknowledge, each fault of a run is
 * injected in turn (a process killed with SIGKILL, restarted or stopped), the mesh becomes ready
 * again and traffic resumes. Afterwards every send that was answered with success has reached
 * every recipient, exactly once after de-duplication by id, in the meshwork's order, and nothing
 * is left unread; each fault's recovery time is printed.
 *
 * <p>Senders use one gateway and receivers another, so the receivers' waits are woken only through
 * {@code mesh.messages}: a wake-up path that did not survive the faults shows as slow deliveries
 * in the probe at the end.
 */
final class FaultRun {


  /** Set to true to keep the data and service logs of a passing run too (a failing run always keeps them). */
  static final String KEEP_PROPERTY = "meshcode.durability.keep";

  /** A fault, injected with the stream of messages running. */
  interface Fault {
    void inject(MeshProcesses mesh) throws Exception;
  }

  /** One step of a run: a named fault. */
  record Step(String name, Fault fault) {}

  private final String label;
  private final int senderCount;
  private final int receiverCount;
  private final Map<String, String> serviceEnv;
  private final Map<String, Integer> replicas;
  static final String MESHWORK = "durable";
  private static final Duration SEND_INTERVAL = Duration.ofMillis(30);
  private static final Duration STEADY = Duration.ofSeconds(3);
  /** How long a restarted or stopped process stays away. */
  static final Duration OUTAGE = Duration.ofSeconds(2);
  private static final Duration PROGRESS = Duration.ofSeconds(30);
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private static final Duration WAKE_LIMIT = Duration.ofSeconds(4);

  /** When each fault began, in order, to measure what the clients saw of it. */
  private final Map<String, Long> faults = new LinkedHashMap<>();
  private long streamEndNanos;


  FaultRun(String label, int senderCount, int receiverCount, Map<String, String> serviceEnv) {
    this(label, senderCount, receiverCount, serviceEnv, MeshProcesses.replicas(1, 2));
  }

  /** With {@code replicas} of each service (at least two gateways: senders use the first, receivers the second). */
  FaultRun(String label, int senderCount, int receiverCount, Map<String, String> serviceEnv, Map<String, Integer> replicas) {
    if (replicas.get("gateway") < 2) {
      throw new IllegalArgumentException("a fault run needs two gateways at least: " + replicas);
    }
    this.replicas = replicas;
    this.label = label;
    this.senderCount = senderCount;
    this.receiverCount = receiverCount;
    this.serviceEnv = serviceEnv;
  }

  /** Starts a mesh of separate processes, streams, injects {@code steps} in turn, and checks everything. */
  void run(List<Step> steps) throws Exception {
    long started = System.nanoTime();
    Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "meshcode-" + label);
    List<ProcessHandle> processes = List.of();
    List<Thread> threads = new ArrayList<>();
    List<Sender> senders = new ArrayList<>();
    List<Receiver> receivers = new ArrayList<>();
    boolean passed = false;
    MeshProcesses mesh = null;
    try {
      mesh = MeshProcesses.start(root, replicas, serviceEnv);
      int sendPort = mesh.gatewayPort(0);
      int receivePort = mesh.gatewayPort(1);
      List<String> senderNames = IntStream.rangeClosed(1, senderCount).mapToObj(i -> "s" + i).toList();
      List<String> receiverNames = IntStream.rangeClosed(1, receiverCount).mapToObj(i -> "r" + i).toList();
      String owner = setUp(mesh, sendPort, senderNames, receiverNames);
      System.out.printf("%s: mesh up in %d ms%n", label, millisSince(started));

      for (String agent : senderNames) {
        senders.add(new Sender(agent, sendPort, owner, MESHWORK, receiverNames, SEND_INTERVAL));
      }
      for (int i = 0; i < receiverNames.size(); i++) {
        receivers.add(new Receiver(receiverNames.get(i), i % 2 == 1, receivePort, owner, MESHWORK));
      }
      Stream.concat(senders.stream(), receivers.stream()).forEach(client -> threads.add(startThread(client)));

      steady(senders, receivers);
      for (Step step : steps) {
        fault(step.name(), senders, receivers, mesh, step.fault());
      }

      senders.forEach(Sender::stop);
      for (Thread thread : threads.subList(0, senders.size())) {
        thread.join(60_000);
      }
      streamEndNanos = System.nanoTime();
      Set<String> accepted = acceptedIds(senders);
      long drainUntil = System.nanoTime() + DRAIN.toNanos();
      while (!receivers.stream().allMatch(r -> r.hasAll(accepted)) && System.nanoTime() < drainUntil) {
        MessageStream.pause(200);
      }
      receivers.forEach(Receiver::stop);
      for (Thread thread : threads.subList(senders.size(), threads.size())) {
        thread.join(30_000);
      }
      for (Receiver receiver : receivers) {
        assertThat(receiver.drain(Duration.ofSeconds(20))).as(receiver.agent + " drains its inbox").isTrue();
      }
      List<Long> wakeMillis = wakeProbes(mesh, owner, senders.get(0), receivers);

      summary(senders, receivers, wakeMillis, millisSince(started));
      check(mesh, owner, senders, receivers);
      assertThat(wakeMillis).as("a wait parked on one gateway is woken by a send through the other")
          .allMatch(ms -> ms < WAKE_LIMIT.toMillis());
      passed = true;
    } finally {
      // A timeout interrupts this thread: clean up all the same, then let the interrupt stand.
      boolean interrupted = Thread.interrupted();
      senders.forEach(Sender::stop);
      receivers.forEach(Receiver::stop);
      for (Thread thread : threads) {
        try {
          thread.join(30_000);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (mesh != null) {
        processes = mesh.everyProcess();
        mesh.close();
      }
      if (!passed) {
        System.out.println(label + ": data and service logs kept in " + root);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(MeshProcesses.allGone(processes)).as("no service, broker or postgres process is left").isTrue();
    if (Boolean.getBoolean(KEEP_PROPERTY)) {
      System.out.println(label + ": data and service logs kept in " + root);
    } else {
      deleteTree(root);
    }
  }

  /** An owner account, the meshwork and its agents; answers the owner's key. */
  private static String setUp(MeshProcesses mesh, int port, List<String> senders, List<String> receivers) {
    String owner = expect(201, MessageStream.call(port, "POST", "/v1/accounts", mesh.adminKey,
        new JsonObject().put("name", "durability"), Duration.ofSeconds(10))).getJsonObject("key").getString("key");
    expect(201, MessageStream.call(port, "POST", "/v1/meshworks", owner, new JsonObject().put("name", MESHWORK), Duration.ofSeconds(10)));
    for (String agent : Stream.concat(senders.stream(), receivers.stream()).toList()) {
      expect(201, MessageStream.call(port, "POST", "/v1/meshworks/" + MESHWORK + "/agents", owner,
          new JsonObject().put("name", agent), Duration.ofSeconds(10)));
    }
    return owner;
  }

  /** Injects the fault with the stream running, waits for the mesh to be ready again and for traffic to flow, then runs steadily a while. */
  private void fault(String name, List<Sender> senders, List<Receiver> receivers, MeshProcesses mesh, Fault fault) throws Exception {
    long began = System.nanoTime();
    faults.put(name, began);
    fault.inject(mesh);
    mesh.awaitReady();
    System.out.printf("%s: %s; ready again after %d ms%n", label, name, millisSince(began));
    steady(senders, receivers);
  }

  /** Until every sender has more sends accepted and every receiver more messages, then a few steady seconds. */
  private static void steady(List<Sender> senders, List<Receiver> receivers) {
    Map<Object, Long> before = new LinkedHashMap<>();
    senders.forEach(s -> before.put(s, s.acceptedCount()));
    receivers.forEach(r -> before.put(r, (long) r.firstReceipts().size()));
    long deadline = System.nanoTime() + PROGRESS.toNanos();
    while (!(senders.stream().allMatch(s -> s.acceptedCount() >= before.get(s) + 10)
        && receivers.stream().allMatch(r -> r.firstReceipts().size() >= before.get(r) + 10))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("traffic did not resume within " + PROGRESS.toSeconds() + " s: "
            + senders.stream().map(s -> s.agent + " accepted " + before.get(s) + " -> " + s.acceptedCount()).toList() + ", "
            + receivers.stream().map(r -> r.agent + " received " + before.get(r) + " -> " + r.firstReceipts().size()).toList());
      }
      MessageStream.pause(100);
    }
    MessageStream.pause(STEADY.toMillis());
  }

  /**
   * Parks a wait for each receiver on the receivers' gateway, then sends through the other one:
   * only a wake-up from mesh.messages answers those waits before they time out. The receivers hold
   * sessions meanwhile, so their status shows when the bus has found their inbox empty and parked.
   */
  private static List<Long> wakeProbes(MeshProcesses mesh, String owner, Sender sender, List<Receiver> receivers) throws Exception {
    for (Receiver receiver : receivers) {
      expect(201, MessageStream.call(mesh.gatewayPort(1), "POST", MessageStream.agentPath(MESHWORK, receiver.agent) + "/sessions",
          owner, new JsonObject(), Duration.ofSeconds(10)));
    }
    List<Long> latencies = new ArrayList<>();
    for (int probe = 0; probe < 2; probe++) {
      List<CompletableFuture<Integer>> waits = receivers.stream()
          .map(r -> CompletableFuture.supplyAsync(() -> r.waitOnce(20))).toList();
      awaitWaiting(mesh.gatewayPort(0), owner, receivers);
      Send send = sender.send();
      assertThat(send.accepted).as("probe " + send).isTrue();
      for (int i = 0; i < receivers.size(); i++) {
        Receiver receiver = receivers.get(i);
        assertThat(waits.get(i).get(30, TimeUnit.SECONDS)).as(receiver.agent + "'s parked wait brings the probe").isEqualTo(1);
        Receipt receipt = receiver.receiptsById().get(send.id);
        assertThat(receipt).as(receiver.agent + " received probe " + send).isNotNull();
        latencies.add(TimeUnit.NANOSECONDS.toMillis(receipt.nanos() - send.firstRequestNanos));
      }
    }
    return latencies;
  }

  private static void awaitWaiting(int port, String owner, List<Receiver> receivers) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Set<String> names = receivers.stream().map(r -> r.agent).collect(Collectors.toSet());
    String last = "";
    while (System.nanoTime() < deadline) {
      JsonObject meshwork = expect(200, MessageStream.call(port, "GET", "/v1/meshworks/" + MESHWORK, owner, null, Duration.ofSeconds(10)));
      List<JsonObject> agents = meshwork.getJsonArray("agents").stream().map(a -> (JsonObject) a)
          .filter(a -> names.contains(a.getString("name"))).toList();
      if (agents.stream().allMatch(a -> "waiting".equals(a.getString("status")))) {
        return;
      }
      last = agents.toString();
      MessageStream.pause(50);
    }
    throw new AssertionError("the probe waits did not park within 10 s: " + last);
  }

  private void check(MeshProcesses mesh, String owner, List<Sender> senders, List<Receiver> receivers) {
    Map<String, Send> attempted = senders.stream().flatMap(s -> s.sends().stream())
        .collect(Collectors.toMap(s -> s.id, Function.identity()));
    Set<String> accepted = acceptedIds(senders);
    SoftAssertions soft = new SoftAssertions();
    senders.forEach(s -> soft.assertThat(s.unexpected).as(s.agent + "'s sends answered with a 4xx").isEmpty());
    for (Receiver receiver : receivers) {
      List<Receipt> receipts = receiver.firstReceipts();
      Set<String> received = receipts.stream().map(Receipt::id).collect(Collectors.toSet());
      soft.assertThat(accepted.stream().filter(id -> !received.contains(id)).map(attempted::get).map(Send::toString).toList())
          .as("accepted sends %s never received", receiver.agent).isEmpty();
      soft.assertThat(received.stream().filter(id -> !attempted.containsKey(id)).toList())
          .as("messages %s received that nobody sent", receiver.agent).isEmpty();
      soft.assertThat(receiver.cursorRegressions).as("%s's batches out of inbox order", receiver.agent).isEmpty();
      soft.assertThat(receiver.redeliveredAfterAck).as("messages handed to %s again after an ack the bus took", receiver.agent).isEmpty();
      soft.assertThat(receiver.unexpected).as("%s's waits and acks answered with a 4xx", receiver.agent).isEmpty();

      List<Send> inReceiptOrder = receipts.stream().map(r -> attempted.get(r.id())).filter(s -> s != null && s.accepted).toList();
      soft.assertThat(causalOrderViolations(inReceiptOrder))
          .as("%s received a send after one that was requested only once the first was answered", receiver.agent).isEmpty();
      for (Sender sender : senders) {
        List<Long> numbers = inReceiptOrder.stream().filter(s -> s.sender.equals(sender.agent)).map(s -> s.n).toList();
        soft.assertThat(numbers).as("%s's sends as %s received them", sender.agent, receiver.agent).isSorted();
      }
      Answer count = MessageStream.call(mesh.gatewayPort(1), "GET",
          MessageStream.agentPath(MESHWORK, receiver.agent) + "/inbox/count", owner, null, Duration.ofSeconds(10));
      soft.assertThat(count.status()).as("count for " + receiver.agent).isEqualTo(200);
      if (count.status() == 200) {
        soft.assertThat(count.json().getLong("unread")).as("%s's unread after its last ack", receiver.agent).isZero();
      }
    }
    // Every agent's status afterwards: the receivers hold sessions (opened for the wake probes), the senders none.
    JsonObject meshwork = expect(200, MessageStream.call(mesh.gatewayPort(0), "GET", "/v1/meshworks/" + MESHWORK, owner, null,
        Duration.ofSeconds(10)));
    Set<String> receiverNames = receivers.stream().map(r -> r.agent).collect(Collectors.toSet());
    meshwork.getJsonArray("agents").forEach(a -> {
      JsonObject agent = (JsonObject) a;
      String name = agent.getString("name");
      soft.assertThat(agent.getString("status")).as("status of " + name)
          .isIn(receiverNames.contains(name) ? List.of("online", "working", "waiting", "idle") : List.of("offline"));
    });
    // The sender's view of a few of them: every recipient has read it.
    accepted.stream().limit(5).forEach(id -> {
      JsonObject states = expect(200, MessageStream.call(mesh.gatewayPort(0), "GET", "/v1/meshworks/" + MESHWORK + "/messages/" + id,
          owner, null, Duration.ofSeconds(10)));
      states.getJsonArray("recipients").forEach(r -> soft.assertThat(((JsonObject) r).getString("state"))
          .as("state of %s at %s", id, ((JsonObject) r).getString("agent")).isEqualTo("read"));
    });
    soft.assertAll();
  }

  /**
   * Pairs received in the wrong order: a send whose answer came before another's first request
   * was made must be received first. Walking back from the last receipt, the earliest answer among
   * what came later must not precede the current one's request.
   */
  static List<String> causalOrderViolations(List<Send> inReceiptOrder) {
    List<String> violations = new ArrayList<>();
    Send earliestAnsweredLater = null;
    for (int i = inReceiptOrder.size() - 1; i >= 0; i--) {
      Send current = inReceiptOrder.get(i);
      if (earliestAnsweredLater != null && earliestAnsweredLater.answeredNanos < current.firstRequestNanos) {
        violations.add(current + " was received before " + earliestAnsweredLater + ", answered before the first was sent");
      }
      if (earliestAnsweredLater == null || current.answeredNanos < earliestAnsweredLater.answeredNanos) {
        earliestAnsweredLater = current;
      }
    }
    return violations;
  }

  private void summary(List<Sender> senders, List<Receiver> receivers, List<Long> wakeMillis, long totalMillis) {
    List<Send> all = senders.stream().flatMap(s -> s.sends().stream()).toList();
    long accepted = all.stream().filter(s -> s.accepted).count();
    System.out.printf("%s: %d sends attempted, %d accepted (%d after a failed attempt, %d of those answered as resends),"
        + " %d failed; %d accepted ones sent again and answered as resends%n",
        label, all.size(), accepted, all.stream().filter(s -> s.accepted && s.attempts > 1).count(),
        all.stream().filter(s -> s.resent).count(), all.size() - accepted, all.stream().filter(s -> s.echoed).count());
    for (Receiver r : receivers) {
      System.out.printf("%s: %s received %d, %d duplicates before de-duplication (%d after an ack the bus took), %d failed waits,"
          + " %d failed acks%n", label, r.agent, r.firstReceipts().size(), r.duplicates, r.redeliveredAfterAck.size(), r.failedWaits,
          r.failedAcks);
    }
    List<String> names = new ArrayList<>(faults.keySet());
    for (int i = 0; i < names.size(); i++) {
      long from = faults.get(names.get(i));
      long to = i + 1 < names.size() ? faults.get(names.get(i + 1)) : streamEndNanos;
      System.out.printf("%s: %s: longest time without an accepted send %d ms, without a delivery %s ms%n",
          label, names.get(i), longestGap(all.stream().filter(s -> s.accepted).map(s -> s.answeredNanos), from, to),
          receivers.stream().map(r -> r.agent + " " + longestGap(r.firstReceipts().stream().map(Receipt::nanos), from, to)).toList());
    }
    System.out.printf("%s: wake-up across gateways after the faults %s ms; test took %d s%n", label, wakeMillis, totalMillis / 1000);
  }

  /** The longest stretch within [from, to) with no event, counting from {@code from}. */
  private static long longestGap(Stream<Long> eventNanos, long from, long to) {
    List<Long> times = eventNanos.filter(t -> t >= from && t < to).sorted(Comparator.naturalOrder()).toList();
    long longest = 0;
    long previous = from;
    for (long t : times) {
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    return TimeUnit.NANOSECONDS.toMillis(Math.max(longest, to - previous));
  }

  private static Set<String> acceptedIds(List<Sender> senders) {
    return senders.stream().flatMap(s -> s.sends().stream()).filter(s -> s.accepted).map(s -> s.id).collect(Collectors.toSet());
  }

  private static JsonObject expect(int status, Answer answer) {
    if (answer.status() != status) {
      throw new AssertionError("expected " + status + ", got " + answer.status() + ": " + answer.body());
    }
    return answer.json();
  }

  private static Thread startThread(Runnable client) {
    String name = client instanceof Sender s ? "sender-" + s.agent : "receiver-" + ((Receiver) client).agent;
    Thread thread = new Thread(client, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
