package io.meshcode.core.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The key pair behind the internal token: the gateway signs with the private key, every service
 * verifies with the public one. Kubernetes mounts them as secret files; the local mesh makes a
 * pair on first start and keeps it in its data folder.
 */
public record InternalKeys(String privateKeyPem, String publicKeyPem) {

  public static final String PRIVATE_KEY_FILE = "internal-token-private.pem";
  public static final String PUBLIC_KEY_FILE = "internal-token-public.pem";

  public static InternalKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new InternalKeys(
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
    }
  }

  /** Loads the pair kept in {@code dir}, making it first if absent. The private key file is 0600. */
  public static InternalKeys loadOrCreate(Path dir) throws IOException {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    if (!Files.exists(privateFile)) {
      Files.createDirectories(dir);
      InternalKeys keys = generate();
      writeSecret(publicFile, keys.publicKeyPem());
      writeSecret(privateFile, keys.privateKeyPem());
      return keys;
    }
    return new InternalKeys(
        Files.readString(privateFile, StandardCharsets.UTF_8),
        Files.readString(publicFile, StandardCharsets.UTF_8));
  }

  /** Writes a file that only its owner can read, created with those permissions (no window where it is wider). */
  public static void writeSecret(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Checks that {@code pem} holds a P-256 public key, so a bad secret stops start-up, not the first request. */
  public static void requireValidPublicKey(String pem) {
    String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    try {
      java.security.KeyFactory.getInstance("EC")
          .generatePublic(new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("not a PEM-encoded EC public key");
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  @Override
  public String toString() {
    return "InternalKeys[private key hidden]";
  }
}
