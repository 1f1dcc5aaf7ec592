package io.meshcode.broker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * How the broker's one client listener (also its inter-broker listener) authenticates, as the file
 * named by BrokerMain's fifth argument says ({@code key=value} lines, written 0600 by
 * meshcode-embedded):
 * <ul>
 *   <li>{@code protocol}: {@code SASL_PLAINTEXT}, {@code SASL_SSL} or {@code SSL};</li>
 *   <li>{@code admin.username}, {@code admin.password}: with SASL, the broker's own SCRAM-SHA-512
 *       user, made when the storage is formatted; it is a super user and makes the others;</li>
 *   <li>{@code keystore}: with TLS, a PEM file holding the broker's PKCS#8 key and certificate chain;</li>
 *   <li>{@code ca}: with TLS, the CA (PEM) the broker trusts, for its own connections and for client certificates;</li>
 *   <li>{@code client.auth}: {@code required} to ask every client for a certificate signed by {@code ca};</li>
 *   <li>{@code acls}: {@code true} to run the standard authorizer, denying what no ACL allows.</li>
 * </ul>
 * The controller listener stays PLAINTEXT on loopback (KRaft cannot authenticate controllers with
 * SCRAM): with the authorizer on, its ANONYMOUS principal is a super user, so that the broker can
 * register; the client listener never yields that principal.
 */
record BrokerSecurity(String protocol, String adminUser, String adminPassword, Path keystore, Path ca, boolean clientAuth,
    boolean acls) {

  static final String LISTENER = "CLIENT";
  private static final Set<String> PROTOCOLS = Set.of("SASL_PLAINTEXT", "SASL_SSL", "SSL");
  private static final String MECHANISM = "SCRAM-SHA-512";
  private static final List<String> MECHANISMS = List.of(MECHANISM, "SCRAM-SHA-256");

  static BrokerSecurity read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    String protocol = p.getProperty("protocol", "");
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(file + ": protocol must be one of " + PROTOCOLS + ", not '" + protocol + "'");
    }
    BrokerSecurity security = new BrokerSecurity(protocol, p.getProperty("admin.username"), p.getProperty("admin.password"),
        path(p, "keystore"), path(p, "ca"), "required".equals(p.getProperty("client.auth")),
        Boolean.parseBoolean(p.getProperty("acls", "false")));
    if (security.sasl() && (security.adminUser == null || security.adminPassword == null)) {
      throw new IllegalArgumentException(file + ": SASL needs admin.username and admin.password");
    }
    if (security.acls && !security.sasl()) {
      throw new IllegalArgumentException(file + ": acls need SASL (its admin is the super user)");
    }
    if (security.tls() && (security.keystore == null || security.ca == null)) {
      throw new IllegalArgumentException(file + ": TLS needs keystore and ca");
    }
    return security;
  }

  private static Path path(Properties p, String key) {
    String value = p.getProperty(key);
    return value == null ? null : Path.of(value);
  }

  boolean sasl() {
    return protocol.startsWith("SASL_");
  }

  boolean tls() {
    return protocol.endsWith("SSL");
  }

  /** Replaces the PLAINTEXT client listener of {@link BrokerProperties#singleNode} with this one. */
  void apply(Properties p, int brokerPort, int controllerPort) {
    String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
    p.setProperty("listeners", LISTENER + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", LISTENER + "://127.0.0.1:" + brokerPort);
    p.setProperty("inter.broker.listener.name", LISTENER);
    p.setProperty("listener.security.protocol.map", LISTENER + ":" + protocol + ",CONTROLLER:PLAINTEXT");
    if (sasl()) {
      p.setProperty("sasl.enabled.mechanisms", String.join(",", MECHANISMS));
      p.setProperty("sasl.mechanism.inter.broker.protocol", MECHANISM);
      // Every enabled mechanism needs its login entry; the admin's credentials serve the broker's own connections.
      for (String mechanism : MECHANISMS) {
        p.setProperty(prefix + mechanism.toLowerCase() + ".sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + adminUser
                + "\" password=\"" + adminPassword + "\";");
      }
    }
    if (tls()) {
      p.setProperty(prefix + "ssl.keystore.type", "PEM");
      p.setProperty(prefix + "ssl.keystore.location", keystore.toString());
      p.setProperty(prefix + "ssl.truststore.type", "PEM");
      p.setProperty(prefix + "ssl.truststore.location", ca.toString());
      p.setProperty(prefix + "ssl.client.auth", clientAuth ? "required" : "none");
      // The broker's own connections (it is its own client) present its certificate too.
      p.setProperty("ssl.keystore.type", "PEM");
      p.setProperty("ssl.keystore.location", keystore.toString());
      p.setProperty("ssl.truststore.type", "PEM");
      p.setProperty("ssl.truststore.location", ca.toString());
    }
    if (acls) {
      p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      p.setProperty("allow.everyone.if.no.acl.found", "false");
      p.setProperty("super.users", "User:" + adminUser + ";User:ANONYMOUS");
    }
  }

  /** What {@code kafka-storage format} adds: the admin's SCRAM credentials, which must exist before the broker starts. */
  List<String> formatArguments() {
    if (!sasl()) {
      return List.of();
    }
    return List.of("--add-scram", MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]");
  }

  @Override
  public String toString() {
    return "BrokerSecurity[" + protocol + (sasl() ? ", admin " + adminUser : "") + (clientAuth ? ", client certificates" : "")
        + (acls ? ", ACLs" : "") + "]";
  }
}
