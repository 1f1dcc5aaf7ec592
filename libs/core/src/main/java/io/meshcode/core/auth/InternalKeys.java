package io.meshcode.core.auth;

import io.meshcode.platform.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key pair behind the internal token: the gateway signs with the private key, every service
 * verifies with the public one. Kubernetes mounts them as secret files; the local mesh makes a
 * pair on first start and keeps it in its data folder.
 *
 * <p>{@code publicKeyPem} may hold several PEM public keys, one after the other: during a
 * rotation the services accept tokens signed by the old or the new private key
 * (docs/DEPLOY.md, "Rotate the internal key pair").
 */
public record InternalKeys(String privateKeyPem, String publicKeyPem) {

  public static final String PRIVATE_KEY_FILE = "internal-token-private.pem";
  public static final String PUBLIC_KEY_FILE = "internal-token-public.pem";

  private static final Pattern PUBLIC_KEY = Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+?)-----END PUBLIC KEY-----");

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

  /** Loads the pair kept in {@code dir}, making it first if absent. The files are private (0600, or a user-only ACL on Windows). */
  public static InternalKeys loadOrCreate(Path dir) throws IOException {
    Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
    Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
    if (!Files.exists(privateFile)) {
      Files.createDirectories(dir);
      InternalKeys keys = generate();
      PrivateFiles.write(publicFile, keys.publicKeyPem());
      PrivateFiles.write(privateFile, keys.privateKeyPem());
      return keys;
    }
    return new InternalKeys(
        Files.readString(privateFile, StandardCharsets.UTF_8),
        Files.readString(publicFile, StandardCharsets.UTF_8));
  }

  /**
   * The PEM public keys {@code pem} holds: one, or several one after the other (nothing else
   * between them), each a P-256 key. Checked at start, so a bad secret stops start-up, not the
   * first request.
   *
   * @throws IllegalArgumentException naming which key is wrong, never echoing the text
   */
  public static List<String> publicKeys(String pem) {
    List<String> keys = new ArrayList<>();
    Matcher block = PUBLIC_KEY.matcher(pem);
    int end = 0;
    while (block.find()) {
      if (!pem.substring(end, block.start()).isBlank()) {
        throw new IllegalArgumentException("text other than PEM public keys before key " + (keys.size() + 1));
      }
      ecP256(block.group(1), keys.size() + 1);
      keys.add(block.group());
      end = block.end();
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no PEM public key (-----BEGIN PUBLIC KEY-----)");
    }
    if (!pem.substring(end).isBlank()) {
      throw new IllegalArgumentException("text other than PEM public keys after key " + keys.size());
    }
    return keys;
  }

  /** Checks that {@code pem} holds one or more P-256 public keys ({@link #publicKeys}). */
  public static void requireValidPublicKey(String pem) {
    publicKeys(pem);
  }

  /**
   * Whether {@code privateKeyPem} (PKCS#8, P-256) is the private half of one of the public keys of
   * {@code publicKeysPem}: whether the services would accept what it signs.
   */
  public static boolean signsForOneOf(String privateKeyPem, String publicKeysPem) {
    try {
      String body = privateKeyPem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
          .replaceAll("\\s", "");
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      for (String pem : publicKeys(publicKeysPem)) {
        Matcher block = PUBLIC_KEY.matcher(pem);
        block.find();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(ecP256(block.group(1), 1));
        verifier.update(probe);
        if (verifier.verify(signature)) {
          return true;
        }
      }
      return false;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false;
    }
  }

  private static PublicKey ecP256(String base64, int position) {
    try {
      PublicKey key = KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
      if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
        throw new IllegalArgumentException("key " + position + " is not a P-256 key");
      }
      return key;
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(e.getMessage() != null && e.getMessage().startsWith("key ")
          ? e.getMessage() : "key " + position + " is not a PEM-encoded EC public key");
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
