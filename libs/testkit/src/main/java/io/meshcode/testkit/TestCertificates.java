package io.meshcode.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority for TLS tests, made with the JDK's own {@code keytool} (no
 * other tool, no key in git): a P-256 CA, and leaf certificates it signs with PKCS#8 PEM keys, as
 * Strimzi hands them out ({@code ca.crt}, {@code user.crt}, {@code user.key}). Valid for two days.
 */
public final class TestCertificates {

  /** A certificate the CA signed: its PEM certificate, its PKCS#8 PEM key, and both in one file (key first, as Kafka's PEM key store reads). */
  public record Leaf(Path certificatePem, Path keyPem, Path keyAndCertificatePem) {}

  private static final String PASSWORD = "test-only";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final Path dir;
  private final Path caStore;
  private final Path caPem;

  private TestCertificates(Path dir, Path caStore, Path caPem) {
    this.dir = dir;
    this.caStore = caStore;
    this.caPem = caPem;
  }

  /** A new CA named {@code name}, its files kept in {@code dir}. */
  public static TestCertificates authority(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path store = dir.resolve(name + "-ca.p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "bc:c", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    Path pem = dir.resolve(name + "-ca.crt");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD, "-file", pem.toString());
    return new TestCertificates(dir, store, pem);
  }

  /** The CA's certificate (PEM): what a client trusts. */
  public Path caPem() {
    return caPem;
  }

  /** A certificate for {@code name} signed by this CA; {@code ipAddresses} become its IP subject alternative names. */
  public Leaf issue(String name, String... ipAddresses) throws IOException {
    Path store = dir.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    Path request = dir.resolve(name + ".csr");
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD, "-file", request.toString());
    Path certificate = dir.resolve(name + ".crt");
    List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(),
        "-storepass", PASSWORD, "-infile", request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", "2"));
    if (ipAddresses.length > 0) {
      sign.add("-ext");
      sign.add("SAN=" + String.join(",", java.util.Arrays.stream(ipAddresses).map(ip -> "IP:" + ip).toList()));
    }
    keytool(sign.toArray(String[]::new));
    Path key = dir.resolve(name + ".key");
    Files.writeString(key, pem("PRIVATE KEY", privateKey(store, name)));
    Path both = dir.resolve(name + "-key-and-chain.pem");
    Files.writeString(both, Files.readString(key) + Files.readString(certificate) + Files.readString(caPem));
    return new Leaf(certificate, key, both);
  }

  private static byte[] privateKey(Path store, String alias) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      Key key = keys.getKey(alias, PASSWORD.toCharArray());
      return key.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key of " + alias + " from " + store, e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool " + arguments[0] + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IOException("keytool " + arguments[0] + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
