package io.meshcode.images;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.security.scram.internals.ScramSaslClientProvider;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Run inside an image by {@link ImageRunIT}, with a service jar on its class path: checks what a
 * service's start does not reach, so a module missing from the jlinked runtime shows here rather
 * than in production. Prints one line per check; any failure ends it with a stack trace and exit 1.
 * Its argument is a closed port on 127.0.0.1 for the Kafka client to aim at.
 */
public final class RuntimeProbe {

  private RuntimeProbe() {}

  public static void main(String[] args) throws Exception {
    kafkaOverSaslSsl(Integer.parseInt(args[0]));
    scramClientFirstMessage();
    tlsClientHello();
    ecSignature();
    containerSettings();
    System.out.println("probe: all checks passed");
  }

  /** A producer configured for SASL_SSL with SCRAM (as MESHCODE_KAFKA_* security will be) builds its channel, login and TLS factory. */
  private static void kafkaOverSaslSsl(int closedPort) {
    Map<String, Object> config = Map.of(
        "bootstrap.servers", "127.0.0.1:" + closedPort,
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"probe\" password=\"probe\";",
        "key.serializer", StringSerializer.class.getName(),
        "value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.close(Duration.ZERO);
    }
    pass("Kafka producer over SASL_SSL with SCRAM-SHA-512");
  }

  /** Kafka's SCRAM client, through javax.security.sasl, writes its first message. */
  private static void scramClientFirstMessage() throws Exception {
    ScramSaslClientProvider.initialize();
    SaslClient client = Sasl.createSaslClient(new String[] {"SCRAM-SHA-512"}, null, "kafka", "127.0.0.1", Map.of(), callbacks -> {
      for (Callback callback : callbacks) {
        if (callback instanceof NameCallback name) {
          name.setName("probe");
        } else if (callback instanceof PasswordCallback password) {
          password.setPassword("probe".toCharArray());
        } else {
          throw new UnsupportedCallbackException(callback);
        }
      }
    });
    String first = new String(client.evaluateChallenge(new byte[0]), StandardCharsets.UTF_8);
    check(first.startsWith("n,,n=probe,r="), "SCRAM client-first message: " + first);
    pass("SCRAM-SHA-512 client-first message");
  }

  /** A TLS 1.3 client hello (EC key shares) from the runtime's own trust store. */
  private static void tlsClientHello() throws Exception {
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init((KeyStore) null);
    int authorities = ((X509TrustManager) trust.getTrustManagers()[0]).getAcceptedIssuers().length;
    check(authorities > 0, "the runtime trusts no certificate authority");
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, trust.getTrustManagers(), null);
    SSLEngine engine = tls.createSSLEngine("kafka.example", 9093);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), hello);
    check(hello.position() > 0, "no TLS client hello written");
    pass("TLS 1.3 client hello, " + authorities + " trusted authorities");
  }

  /** ES256, as the internal tokens are signed. */
  private static void ecSignature() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(pair.getPublic());
    verifier.update(new byte[] {1, 2, 3});
    check(verifier.verify(signature), "an ES256 signature does not verify");
    pass("ES256 sign and verify");
  }

  /** The image's user, locale, JVM options and file system, as the container sees them. */
  private static void containerSettings() throws Exception {
    check(System.getProperty("user.name").equals("meshcode"), "user.name " + System.getProperty("user.name"));
    check(Charset.defaultCharset().equals(StandardCharsets.UTF_8), "default charset " + Charset.defaultCharset());
    check("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "file names in " + System.getProperty("sun.jnu.encoding"));
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    check(vm.getVMOption("MaxRAMPercentage").getValue().startsWith("75"), "MaxRAMPercentage " + vm.getVMOption("MaxRAMPercentage"));
    check(vm.getVMOption("ExitOnOutOfMemoryError").getValue().equals("true"), "ExitOnOutOfMemoryError is off");
    check(vm.getVMOption("UseContainerSupport").getValue().equals("true"), "UseContainerSupport is off");
    Path scratch = Files.createTempFile("probe", ".tmp");
    check(scratch.startsWith("/tmp"), "java.io.tmpdir is not /tmp: " + scratch);
    Files.delete(scratch);
    List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
    check(mounts.stream().anyMatch(m -> m.split(" ")[1].equals("/") && List.of(m.split(" ")[3].split(",")).contains("ro")),
        "the root file system is not mounted read-only: " + mounts);
    try {
      Files.createFile(Path.of("/probe-write"));
      throw new AssertionError("wrote /probe-write");
    } catch (FileSystemException expected) {
      // read-only, and not ours
    }
    pass("user meshcode, UTF-8, JDK_JAVA_OPTIONS applied, a read-only root with /tmp writable");
  }

  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }

  private static void pass(String check) {
    System.out.println("probe: " + check + ": ok");
  }
}
