package io.meshcode.core.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A failure as whoever runs the service needs to read it: Kafka's own message, and, when the
 * brokers refused the credentials, the certificate or an operation, which settings to look at.
 * Never holds a secret: Kafka's messages name the mechanism and the user, not the password.
 */
public final class KafkaFailures {

  private KafkaFailures() {}

  public static String describe(Throwable failure, KafkaSettings settings) {
    KafkaSecurity security = settings.security();
    String user = security.username().map(name -> " as " + name).orElse("");
    SslAuthenticationException tls = find(failure, SslAuthenticationException.class);
    if (tls != null) {
      return "TLS with the Kafka brokers failed: " + messages(tls)
          + " (MESHCODE_KAFKA_TRUSTED_CA_FILE must hold the CA that signed the brokers' certificates;"
          + " a broker that asks for a client certificate needs MESHCODE_KAFKA_CLIENT_CERT_FILE and _KEY_FILE)";
    }
    AuthenticationException authentication = find(failure, AuthenticationException.class);
    if (authentication != null) {
      return "Kafka refused to sign in" + user + ": " + authentication.getMessage()
          + " (check MESHCODE_KAFKA_USERNAME, MESHCODE_KAFKA_PASSWORD and MESHCODE_KAFKA_SASL_MECHANISM)";
    }
    AuthorizationException denied = find(failure, AuthorizationException.class);
    if (denied != null) {
      return "Kafka denied it" + user + ": " + denied.getMessage() + " (the user's ACLs must allow it)";
    }
    if (find(failure, TimeoutException.class) != null) {
      return root(failure) + " (no answer from " + settings.bootstrapServers() + " over " + security.protocol()
          + ": are the brokers up, and is MESHCODE_KAFKA_SECURITY_PROTOCOL that of their listener?)";
    }
    return root(failure);
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** The message and, where the cause says more (a certificate path that does not build), its root's. */
  private static String messages(Throwable failure) {
    String own = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    String root = root(failure);
    return root.equals(own) ? own : own + ": " + root;
  }

  private static String root(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
