package io.meshcode.core.kafka;

import io.meshcode.core.config.ConfigException;
import io.meshcode.core.config.EnvConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the Kafka clients authenticate the brokers and themselves: the protocol, SASL credentials,
 * the CA that signed the brokers' certificates and a client certificate for mutual TLS. Read once
 * from {@code MESHCODE_KAFKA_*} (docs/CONFIG.md); a value that is malformed, or that makes no sense
 * with the others, stops start-up naming the variable. Certificates and keys are read and checked
 * at start and handed to Kafka inline (PEM), so a bad file fails here, not at the first connection.
 *
 * <p>{@link #toString()} never shows the password or the private key; Kafka logs the properties
 * that carry them ({@code sasl.jaas.config}, {@code ssl.keystore.key}) as hidden.
 */
public final class KafkaSecurity {

  /** Kafka's {@code security.protocol}. */
  public enum Protocol {
    PLAINTEXT(false, false), SSL(true, false), SASL_PLAINTEXT(false, true), SASL_SSL(true, true);

    private final boolean tls;
    private final boolean sasl;

    Protocol(boolean tls, boolean sasl) {
      this.tls = tls;
      this.sasl = sasl;
    }

    public boolean tls() {
      return tls;
    }

    public boolean sasl() {
      return sasl;
    }
  }

  /** Kafka's {@code sasl.mechanism}, with the login module that carries its credentials. */
  public enum Mechanism {
    SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"),
    SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
    PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule");

    private final String kafkaName;
    private final String loginModule;

    Mechanism(String kafkaName, String loginModule) {
      this.kafkaName = kafkaName;
      this.loginModule = loginModule;
    }

    public String kafkaName() {
      return kafkaName;
    }
  }

  static final String PROTOCOL = "MESHCODE_KAFKA_SECURITY_PROTOCOL";
  static final String MECHANISM = "MESHCODE_KAFKA_SASL_MECHANISM";
  static final String USERNAME = "MESHCODE_KAFKA_USERNAME";
  static final String PASSWORD = "MESHCODE_KAFKA_PASSWORD";
  static final String TRUSTED_CA = "MESHCODE_KAFKA_TRUSTED_CA";
  static final String CLIENT_CERT = "MESHCODE_KAFKA_CLIENT_CERT";
  static final String CLIENT_KEY = "MESHCODE_KAFKA_CLIENT_KEY";

  /** No TLS, no authentication: a broker on loopback or a private network. */
  public static final KafkaSecurity PLAINTEXT = new KafkaSecurity(Protocol.PLAINTEXT, null, null, null, null, null, null);

  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final int USERNAME_MAX = 256;

  private final Protocol protocol;
  private final Mechanism mechanism;
  private final String username;
  private final String password;
  private final String trustedCaPem;
  private final String clientCertPem;
  private final String clientKeyPem;

  private KafkaSecurity(Protocol protocol, Mechanism mechanism, String username, String password,
      String trustedCaPem, String clientCertPem, String clientKeyPem) {
    this.protocol = protocol;
    this.mechanism = mechanism;
    this.username = username;
    this.password = password;
    this.trustedCaPem = trustedCaPem;
    this.clientCertPem = clientCertPem;
    this.clientKeyPem = clientKeyPem;
  }

  public static KafkaSecurity from(EnvConfig env) {
    Protocol protocol = choice(env, PROTOCOL, Protocol.class, Protocol.PLAINTEXT, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL");
    Mechanism mechanism = null;
    String username = null;
    String password = null;
    if (protocol.sasl()) {
      mechanism = choice(env, MECHANISM, Mechanism.class, Mechanism.SCRAM_SHA_512, "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN");
      if (mechanism == Mechanism.PLAIN && !protocol.tls()) {
        throw new ConfigException(MECHANISM + ": PLAIN sends the password as it is; use it only with "
            + PROTOCOL + "=SASL_SSL, or use SCRAM-SHA-512");
      }
      username = env.optional(USERNAME).orElseThrow(() -> new ConfigException(
          USERNAME + ": required with " + PROTOCOL + "=" + protocol + " (the SASL user, e.g. the name of the service's KafkaUser)"));
      if (username.length() > USERNAME_MAX || hasControlCharacter(username)) {
        throw new ConfigException(USERNAME, "up to " + USERNAME_MAX + " characters without control characters", null);
      }
      password = env.secret(PASSWORD).orElseThrow(() -> new ConfigException(
          PASSWORD + " or " + PASSWORD + "_FILE: required with " + PROTOCOL + "=" + protocol));
      if (hasControlCharacter(password)) {
        throw new ConfigException(given(env, PASSWORD) + ": expected a password without control characters (value not shown)");
      }
    } else {
      for (String name : List.of(MECHANISM, USERNAME, PASSWORD, PASSWORD + "_FILE")) {
        refuseUnless(env, name, "only with " + PROTOCOL + "=SASL_PLAINTEXT or SASL_SSL (it is " + protocol + ")");
      }
    }

    String trustedCa = null;
    String clientCert = null;
    String clientKey = null;
    if (protocol.tls()) {
      trustedCa = env.secret(TRUSTED_CA).orElse(null);
      if (trustedCa != null) {
        certificates(given(env, TRUSTED_CA), trustedCa);
      }
      clientCert = env.secret(CLIENT_CERT).orElse(null);
      clientKey = env.secret(CLIENT_KEY).orElse(null);
      if ((clientCert == null) != (clientKey == null)) {
        String missing = clientCert == null ? CLIENT_CERT : CLIENT_KEY;
        throw new ConfigException(missing + " or " + missing + "_FILE: required with "
            + (clientCert == null ? CLIENT_KEY : CLIENT_CERT) + " (a client certificate needs its key, and the key its certificate)");
      }
      if (clientCert != null) {
        requireKeyOfCertificate(env, certificates(given(env, CLIENT_CERT), clientCert).get(0), clientKey);
      }
    } else {
      for (String name : List.of(TRUSTED_CA, CLIENT_CERT, CLIENT_KEY)) {
        refuseUnless(env, name, "only with " + PROTOCOL + "=SSL or SASL_SSL (it is " + protocol + ")");
        refuseUnless(env, name + "_FILE", "only with " + PROTOCOL + "=SSL or SASL_SSL (it is " + protocol + ")");
      }
    }
    return new KafkaSecurity(protocol, mechanism, username, password, trustedCa, clientCert, clientKey);
  }

  public Protocol protocol() {
    return protocol;
  }

  /** The SASL mechanism, if the protocol authenticates with SASL. */
  public Optional<Mechanism> mechanism() {
    return Optional.ofNullable(mechanism);
  }

  /** The SASL user, if the protocol authenticates with SASL. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * What every Kafka client (producer, consumer, admin) adds to its configuration. The values
   * hold the password and the private key: pass them to Kafka, never to a log.
   */
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("security.protocol", protocol.name());
    if (protocol.sasl()) {
      properties.put("sasl.mechanism", mechanism.kafkaName());
      properties.put("sasl.jaas.config", mechanism.loginModule + " required username=" + jaasQuoted(username)
          + " password=" + jaasQuoted(password) + ";");
    }
    if (trustedCaPem != null) {
      properties.put("ssl.truststore.type", "PEM");
      properties.put("ssl.truststore.certificates", trustedCaPem);
    }
    if (clientCertPem != null) {
      properties.put("ssl.keystore.type", "PEM");
      properties.put("ssl.keystore.certificate.chain", clientCertPem);
      properties.put("ssl.keystore.key", clientKeyPem);
    }
    return properties;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("KafkaSecurity[").append(protocol);
    if (protocol.sasl()) {
      text.append(", ").append(mechanism.kafkaName()).append(" as ").append(username).append(", password hidden");
    }
    if (protocol.tls()) {
      text.append(trustedCaPem != null ? ", brokers' CA given" : ", brokers' CA from the JVM's trust store");
      if (clientCertPem != null) {
        text.append(", client certificate given");
      }
    }
    return text.append(']').toString();
  }

  /**
   * A JAAS option value in double quotes. Kafka reads it with a {@link java.io.StreamTokenizer},
   * which takes {@code \"} and {@code \\} as escapes, so any printable password survives.
   */
  static String jaasQuoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static <E extends Enum<E>> E choice(EnvConfig env, String name, Class<E> type, E fallback, String expected) {
    Optional<String> raw = env.optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    String wanted = raw.get().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(wanted)) {
        return value;
      }
    }
    throw new ConfigException(name, expected, raw.get());
  }

  private static void refuseUnless(EnvConfig env, String name, String when) {
    if (env.optional(name).isPresent()) {
      throw new ConfigException(name + ": set " + when);
    }
  }

  /** The variable a value came from: {@code NAME_FILE} when that is set, else {@code NAME}. */
  private static String given(EnvConfig env, String name) {
    return env.optional(name + "_FILE").isPresent() ? name + "_FILE" : name;
  }

  private static boolean hasControlCharacter(String value) {
    return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static List<X509Certificate> certificates(String variable, String pem) {
    String expected = "PEM X.509 certificates (-----BEGIN CERTIFICATE-----)";
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(variable, expected, null);
    }
    try {
      Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate certificate : parsed) {
        certificates.add((X509Certificate) certificate);
      }
      if (certificates.isEmpty()) {
        throw new ConfigException(variable, expected, null);
      }
      return certificates;
    } catch (CertificateException | ClassCastException e) {
      throw new ConfigException(variable + ": expected " + expected + "; it does not parse: " + e.getMessage());
    }
  }

  /** The key must be unencrypted PKCS#8 (what Kafka's PEM key store reads) and belong to the certificate. */
  private static void requireKeyOfCertificate(EnvConfig env, X509Certificate certificate, String keyPem) {
    String variable = given(env, CLIENT_KEY);
    Matcher pem = PRIVATE_KEY.matcher(keyPem);
    if (!pem.find()) {
      throw new ConfigException(variable + ": expected an unencrypted PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----);"
          + " convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem (value not shown)");
    }
    String algorithm = certificate.getPublicKey().getAlgorithm();
    try {
      PrivateKey key = KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1))));
      String signatureAlgorithm = switch (algorithm) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        default -> algorithm;
      };
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance(signatureAlgorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(signatureAlgorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new ConfigException(variable + ": the key does not belong to the certificate of " + given(env, CLIENT_CERT)
            + " (" + certificate.getSubjectX500Principal().getName() + ")");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException(variable + ": expected the " + algorithm + " private key of the certificate of "
          + given(env, CLIENT_CERT) + " (" + certificate.getSubjectX500Principal().getName() + "); it does not read as one");
    }
  }
}
