package io.meshcode.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshcode.core.auth.InternalKeys;
import io.meshcode.core.auth.InternalPrincipal.KeyKind;
import io.meshcode.core.auth.InternalPrincipal;
import io.meshcode.core.auth.InternalTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The internal token")
class InternalTokensTest {

  private static final Vertx VERTX = Vertx.vertx();
  private static final InternalKeys KEYS = InternalKeys.generate();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  private static InternalPrincipal verify(InternalTokens verifier, String token) throws Exception {
    return verifier.verify(token).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("carries the principal from the gateway to a service holding only the public key")
  void roundTrip() throws Exception {
    String token = InternalTokens.signer(VERTX, KEYS).issue(new InternalPrincipal("acct-1", KeyKind.GUEST, "mw-1", "backend"));
    InternalPrincipal principal = verify(InternalTokens.verifier(VERTX, KEYS.publicKeyPem()), token);
    assertThat(principal).isEqualTo(new InternalPrincipal("acct-1", KeyKind.GUEST, "mw-1", "backend"));
  }

  @Test
  @DisplayName("is rejected when signed by another key, tampered with, or expired")
  void rejected() {
    InternalTokens verifier = InternalTokens.verifier(VERTX, KEYS.publicKeyPem());
    String foreign = InternalTokens.signer(VERTX, InternalKeys.generate()).issue(new InternalPrincipal("a", KeyKind.OWNER, null, null));
    assertThatThrownBy(() -> verify(verifier, foreign)).hasMessageContaining("Signature");

    String good = InternalTokens.signer(VERTX, KEYS).issue(new InternalPrincipal("a", KeyKind.SPECTATOR, "mw", null));
    String[] parts = good.split("\\.");
    String tamperedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]))).put("kind", "owner").encode().getBytes());
    assertThatThrownBy(() -> verify(verifier, parts[0] + "." + tamperedPayload + "." + parts[2])).isNotNull();

    JWTAuth raw = JWTAuth.create(VERTX, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(KEYS.privateKeyPem())));
    long past = System.currentTimeMillis() / 1000 - 600;
    String expired = raw.generateToken(
        new JsonObject().put("sub", "a").put("kind", "owner").put("iat", past).put("exp", past + 60),
        new JWTOptions().setAlgorithm("ES256").setIssuer("meshcode-gateway").setAudience(List.of("meshcode-services")).setNoTimestamp(true));
    assertThatThrownBy(() -> verify(verifier, expired)).hasMessageContaining("xpired");
  }

  @Test
  @DisplayName("is signed once per caller and reused while it has time to live; verified once per token")
  void remembered() throws Exception {
    InternalTokens signer = InternalTokens.signer(VERTX, KEYS);
    InternalPrincipal guest = new InternalPrincipal("acct-1", KeyKind.GUEST, "mw-1", "backend");
    String first = signer.issue(guest);
    assertThat(signer.issue(guest)).isEqualTo(first);
    assertThat(signer.issue(new InternalPrincipal("acct-1", KeyKind.GUEST, "mw-1", "frontend"))).isNotEqualTo(first);
    InternalPrincipal vouching = guest.vouching(new io.vertx.core.json.JsonObject().put("recipients", new io.vertx.core.json.JsonArray()));
    String withFacts = signer.issue(vouching);
    assertThat(withFacts).isNotEqualTo(first);

    InternalTokens verifier = InternalTokens.verifier(VERTX, KEYS.publicKeyPem());
    assertThat(verify(verifier, first)).isEqualTo(guest);
    assertThat(verify(verifier, first)).isEqualTo(guest);
    assertThat(verify(verifier, withFacts)).isEqualTo(vouching);
    // A remembered token is still only the token it was: any change to it is a new, failing verification.
    assertThatThrownBy(() -> verify(verifier, first.substring(0, first.length() - 2) + "xx")).isNotNull();
  }

  @Test
  @DisplayName("during a rotation, is accepted when signed by either of two public keys given one after the other, and refused for a third")
  void severalPublicKeys() throws Exception {
    InternalKeys old = InternalKeys.generate();
    InternalKeys next = InternalKeys.generate();
    InternalKeys stranger = InternalKeys.generate();
    String both = old.publicKeyPem() + next.publicKeyPem();
    assertThat(InternalKeys.publicKeys(both)).hasSize(2);
    InternalTokens verifier = InternalTokens.verifier(VERTX, both);
    InternalPrincipal owner = new InternalPrincipal("acct-1", KeyKind.OWNER, null, null);

    assertThat(verify(verifier, InternalTokens.signer(VERTX, old).issue(owner))).isEqualTo(owner);
    assertThat(verify(verifier, InternalTokens.signer(VERTX, next).issue(owner))).isEqualTo(owner);
    // The gateway, mid-rotation, signs with the new private key while its public key file holds both.
    assertThat(verify(verifier, InternalTokens.signer(VERTX, new InternalKeys(next.privateKeyPem(), both)).issue(owner)))
        .isEqualTo(owner);
    String foreign = InternalTokens.signer(VERTX, stranger).issue(owner);
    assertThatThrownBy(() -> verify(verifier, foreign)).hasMessageContaining("Signature");
    // The old key alone no longer takes what the new one signed: the end of a rotation.
    assertThatThrownBy(() -> verify(InternalTokens.verifier(VERTX, old.publicKeyPem()),
        InternalTokens.signer(VERTX, next).issue(owner))).hasMessageContaining("Signature");
  }

  @Test
  @DisplayName("several public keys must each be a P-256 PEM key with nothing else between them; a private key is matched to them")
  void publicKeyList() {
    InternalKeys one = InternalKeys.generate();
    InternalKeys two = InternalKeys.generate();
    assertThatThrownBy(() -> InternalKeys.publicKeys(one.publicKeyPem() + "junk\n" + two.publicKeyPem()))
        .hasMessage("text other than PEM public keys before key 2");
    assertThatThrownBy(() -> InternalKeys.publicKeys(one.publicKeyPem() + two.publicKeyPem().replace("M", "m")))
        .hasMessage("key 2 is not a PEM-encoded EC public key");
    assertThatThrownBy(() -> InternalKeys.publicKeys(one.publicKeyPem() + "trailing"))
        .hasMessage("text other than PEM public keys after key 1");
    assertThatThrownBy(() -> InternalKeys.publicKeys(one.privateKeyPem())).hasMessage("no PEM public key (-----BEGIN PUBLIC KEY-----)");

    assertThat(InternalKeys.signsForOneOf(two.privateKeyPem(), one.publicKeyPem() + two.publicKeyPem())).isTrue();
    assertThat(InternalKeys.signsForOneOf(two.privateKeyPem(), one.publicKeyPem())).isFalse();
    assertThat(InternalKeys.signsForOneOf("not a key", one.publicKeyPem())).isFalse();
  }

  @Test
  @DisplayName("cannot be minted by a service that holds only the public key")
  void verifierCannotSign() {
    InternalTokens verifier = InternalTokens.verifier(VERTX, KEYS.publicKeyPem());
    assertThatThrownBy(() -> verifier.issue(new InternalPrincipal("a", KeyKind.OWNER, null, null)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("keys made on first start are kept, the private one readable by its owner only")
  void keysKept(@TempDir Path dir) throws Exception {
    InternalKeys first = InternalKeys.loadOrCreate(dir);
    InternalKeys again = InternalKeys.loadOrCreate(dir);
    assertThat(again).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(InternalKeys.PRIVATE_KEY_FILE))))
        .isEqualTo("rw-------");
  }
}
