package io.keepcluster.shared.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");

  private final PasswordHasher hasher = new PasswordHasher(PasswordHashingParameters.forTests());

  @Test
  @DisplayName("a hash is an Argon2id PHC string with the hasher's parameters, 16-byte salt and 32-byte hash")
  void hashHasPhcShape() {
    String hash = hasher.hash("correct horse".toCharArray());

    assertTrue(PHC.matcher(hash).matches(), hash);
  }

  @Test
  @DisplayName("the right password verifies against its hash")
  void rightPasswordVerifies() {
    String hash = hasher.hash("correct horse".toCharArray());

    assertTrue(hasher.verify("correct horse".toCharArray(), hash));
  }

  @Test
  @DisplayName("a wrong password does not verify")
  void wrongPasswordFails() {
    String hash = hasher.hash("correct horse".toCharArray());

    assertFalse(hasher.verify("correct horsf".toCharArray(), hash));
  }

  @Test
  @DisplayName("non-ASCII passwords hash as UTF-8 and verify")
  void unicodePasswordVerifies() {
    String hash = hasher.hash("pässwörd-密码".toCharArray());

    assertTrue(hasher.verify("pässwörd-密码".toCharArray(), hash));
    assertFalse(hasher.verify("passwort-密码".toCharArray(), hash));
  }

  @Test
  @DisplayName("hashing the same password twice gives different salts and hashes")
  void saltDiffersPerHash() {
    String first = hasher.hash("same".toCharArray());
    String second = hasher.hash("same".toCharArray());

    assertNotEquals(first.split("\\$")[4], second.split("\\$")[4]);
    assertNotEquals(first, second);
  }

  @Test
  @DisplayName("a hash made with other Argon2id parameters verifies with the parameters it carries")
  void foreignParametersVerify() {
    String stored = new PasswordHasher(new PasswordHashingParameters(2048, 2, 2))
        .hash("secret".toCharArray());

    assertTrue(hasher.verify("secret".toCharArray(), stored));
  }

  @Test
  @DisplayName("a bcrypt $2y$ hash made by Bouncy Castle verifies")
  void bcrypt2yVerifies() {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String stored = OpenBSDBCrypt.generate("2y", "legacy pass".toCharArray(), salt, 4);

    assertTrue(hasher.verify("legacy pass".toCharArray(), stored));
    assertFalse(hasher.verify("legacy pasS".toCharArray(), stored));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2a", "2b"})
  @DisplayName("bcrypt $2a$ and $2b$ hashes verify too")
  void bcryptOtherVersionsVerify(String version) {
    String stored = OpenBSDBCrypt.generate(version, "pw".toCharArray(), new byte[16], 4);

    assertTrue(hasher.verify("pw".toCharArray(), stored));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "",
    "plaintext",
    "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=1024,t=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=abc,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=-5,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=1024,t=1,p=1$not*base64!$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$",
    "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA$extra",
    "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
    "$2y$04$tooShort",
    "$2y$xx$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234",
    "$2y$04$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
    "$2x$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234"
  })
  @DisplayName("malformed or unknown stored hashes do not verify and do not throw")
  void malformedHashesFail(String stored) {
    assertFalse(hasher.verify("anything".toCharArray(), stored));
  }

  @Test
  @DisplayName("a null stored hash or password does not verify")
  void nullsFail() {
    assertFalse(hasher.verify("x".toCharArray(), null));
    assertFalse(hasher.verify(null, hasher.hash("x".toCharArray())));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "$argon2id$v=19$m=1048576,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=1024,t=1000,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=1024,t=1,p=64$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"
  })
  @DisplayName("a stored Argon2id hash asking for too much memory, passes or lanes is refused without being computed")
  void oversizedParametersRefused(String stored) {
    assertFalse(hasher.verify("anything".toCharArray(), stored));
  }

  @Test
  @DisplayName("a bcrypt hash with a cost above the cap is refused")
  void expensiveBcryptRefused() {
    String cheap = OpenBSDBCrypt.generate("2y", "pw".toCharArray(), new byte[16], 4);
    String expensive = "$2y$31" + cheap.substring(6);

    assertFalse(hasher.verify("pw".toCharArray(), expensive));
  }

  @Test
  @DisplayName("a stored hash that differs in one character does not verify")
  void oneCharacterMatters() {
    String hash = hasher.hash("pw".toCharArray());
    int at = hash.length() - 2; // a character that carries six bits of the hash
    String tampered = hash.substring(0, at) + (hash.charAt(at) == 'A' ? 'B' : 'A')
        + hash.substring(at + 1);

    assertFalse(hasher.verify("pw".toCharArray(), tampered));
  }

  @Test
  @DisplayName("a non-canonical base64 spelling of the right hash is refused")
  void nonCanonicalBase64Refused() {
    String hash = hasher.hash("pw".toCharArray());
    // 32 bytes end in a character whose two low bits are unused; setting them changes the
    // string but not the decoded bytes.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char last = hash.charAt(hash.length() - 1);
    char sloppy = alphabet.charAt(alphabet.indexOf(last) | 0b11);
    String variant = hash.substring(0, hash.length() - 1) + sloppy;

    assertFalse(hasher.verify("pw".toCharArray(), variant));
  }

  @Test
  @DisplayName("verification against the dummy hash always answers false, whatever the password")
  void dummyNeverMatches() {
    assertFalse(hasher.verifyAgainstDummy("".toCharArray()));
    assertFalse(hasher.verifyAgainstDummy("admin".toCharArray()));
    assertFalse(hasher.verifyAgainstDummy(null));
  }

  @Test
  @DisplayName("bcrypt hashes and unparseable values need a rehash")
  void bcryptNeedsRehash() {
    String bcrypt = OpenBSDBCrypt.generate("2y", "pw".toCharArray(), new byte[16], 4);

    assertTrue(hasher.needsRehash(bcrypt));
    assertTrue(hasher.needsRehash("garbage"));
    assertTrue(hasher.needsRehash(null));
  }

  @Test
  @DisplayName("a hash at the hasher's own cost needs no rehash, a cheaper one does")
  void weakerArgon2NeedsRehash() {
    PasswordHasher stronger = new PasswordHasher(new PasswordHashingParameters(2048, 2, 1));
    String own = stronger.hash("pw".toCharArray());
    String weaker = hasher.hash("pw".toCharArray());

    assertFalse(stronger.needsRehash(own));
    assertTrue(stronger.needsRehash(weaker));
  }

  @Test
  @DisplayName("parameters out of bounds are refused when built")
  void parametersValidated() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new PasswordHashingParameters(4, 1, 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new PasswordHashingParameters(1024, 0, 1));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new PasswordHashingParameters(1024, 1, 9));
  }

  @Test
  @DisplayName("the defaults are OWASP's Argon2id minimum: 19 MiB, 2 passes, 1 lane")
  void defaultsAreOwaspMinimum() {
    assertEquals(new PasswordHashingParameters(19_456, 2, 1), PasswordHashingParameters.defaults());
  }
}
