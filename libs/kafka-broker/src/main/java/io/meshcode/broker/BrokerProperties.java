package io.meshcode.broker;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The KRaft single-node configuration: one process that is both broker and controller. */
final class BrokerProperties {

  static final String FILE_NAME = "server.properties";

  private BrokerProperties() {
  }

  static Properties singleNode(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    // A static voter set: the controller port may change between restarts on the
    // same data dir, which a dynamic quorum (which stores endpoints) would not allow.
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty("listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logDir.toString());

    p.setProperty("num.partitions", "3");
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("group.initial.rebalance.delay.ms", "0");

    // One replica is all a single node can hold.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");

    // Fewer internal partitions than the default 50: the first consumer group or
    // transaction on a fresh broker is faster. Never change these for an existing
    // data dir: the coordinators hash group and transaction ids over the count.
    p.setProperty("offsets.topic.num.partitions", "5");
    p.setProperty("transaction.state.log.num.partitions", "5");
    p.setProperty("share.coordinator.state.topic.num.partitions", "5");
    return p;
  }

  static Path write(Path dataDir, Properties props) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    try (Writer out = Files.newBufferedWriter(file)) {
      props.store(out, "Written by io.meshcode.broker.BrokerMain on every start");
    }
    return file;
  }
}
