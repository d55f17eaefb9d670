package io.jenkins.plugins.pgbackup.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.testing.AgeCli;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AgeStreamsTest {
    @TempDir
    Path dir;

    /** A key pair from jagged's generator: identity and recipient strings. */
    record Pair(String identity, String recipient) {
        static Pair generate() throws Exception {
            KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
            return new Pair(new String(k.getPrivate().getEncoded(), StandardCharsets.US_ASCII),
                    new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 3 * 65536, 1_000_003})
    void everyIdentityAloneDecryptsWhatWasEncryptedForSeveralRecipients(int size) throws Exception {
        Pair a = Pair.generate();
        Pair b = Pair.generate();
        byte[] plain = TestStreams.random(size, size, 7777).readAllBytes();

        byte[] encrypted = AgeStreams.encrypt(new ByteArrayInputStream(plain), List.of(a.recipient(), b.recipient()))
                .readAllBytes();

        assertTrue(new String(encrypted, 0, 21, StandardCharsets.US_ASCII).startsWith("age-encryption.org/v1"));
        assertTrue(encrypted.length > size, "a header and a tag per 64 KiB chunk");
        assertArrayEquals(plain, decrypt(encrypted, a.identity()));
        assertArrayEquals(plain, decrypt(encrypted, b.identity()));
    }

    @Test
    void anotherIdentityIsRefusedWithoutNamingIt() throws Exception {
        Pair a = Pair.generate();
        Pair other = Pair.generate();
        byte[] encrypted = encrypt("secret dump".getBytes(StandardCharsets.UTF_8), a.recipient());

        AgeDecryptionException e = assertThrows(AgeDecryptionException.class, () -> decrypt(encrypted,
                other.identity()));
        assertTrue(e.getMessage().contains("cannot decrypt"), e.getMessage());
        assertFalse(e.getMessage().contains(other.identity()), "the identity never appears in a message");
    }

    @Test
    void aFlippedByteInThePayloadOrACutFileFailsTheRead() throws Exception {
        Pair a = Pair.generate();
        byte[] encrypted = encrypt(TestStreams.random(200_000, 3).readAllBytes(), a.recipient());

        byte[] flipped = encrypted.clone();
        flipped[flipped.length - 1000] ^= 0x01;
        AgeDecryptionException damaged = assertThrows(AgeDecryptionException.class,
                () -> decrypt(flipped, a.identity()));
        assertTrue(damaged.getMessage().contains("changed or cut"), damaged.getMessage());

        byte[] cut = java.util.Arrays.copyOf(encrypted, encrypted.length - 70_000);
        assertThrows(IOException.class, () -> decrypt(cut, a.identity()));
    }

    @Test
    void keysAreParsedFromWhatAgeKeygenPrintsAndAnIdentityIsNeverTakenForARecipient() throws Exception {
        Pair a = Pair.generate();
        Pair b = Pair.generate();

        assertEquals(List.of(a.recipient(), b.recipient()), AgeKeys.parseRecipients(
                "# break-glass key\n" + a.recipient() + ", " + b.recipient() + "\n" + a.recipient() + "\n"));
        IllegalArgumentException pasted = assertThrows(IllegalArgumentException.class,
                () -> AgeKeys.parseRecipients(a.identity()));
        assertFalse(pasted.getMessage().contains(a.identity()), pasted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgeKeys.parseRecipients("age1notakey"));

        String keyFile = "# created: 2026-12-04T12:00:00Z\n# public key: " + a.recipient() + "\n" + a.identity() + "\n";
        assertEquals(List.of(a.identity()), AgeKeys.parseIdentities(keyFile));
        assertEquals(a.recipient(), AgeKeys.recipientOf(a.identity()));
        IllegalArgumentException notSecret = assertThrows(IllegalArgumentException.class,
                () -> AgeKeys.parseIdentities(a.recipient()));
        assertTrue(notSecret.getMessage().contains("public key"), notSecret.getMessage());

        String fingerprint = AgeKeys.fingerprint(a.recipient());
        assertTrue(fingerprint.matches("[0-9a-f]{16}"), fingerprint);
        assertFalse(fingerprint.equals(AgeKeys.fingerprint(b.recipient())));
    }

    @Test
    void theAgeToolDecryptsOurFilesAndWeDecryptItsOwn() throws Exception {
        AgeCli.require();
        AgeCli.Key key = AgeCli.keygen(dir);
        assertEquals(key.recipient(), AgeKeys.recipientOf(key.identity()), "the same public key as age-keygen's");
        byte[] plain = TestStreams.random(300_001, 11).readAllBytes();

        Path ours = dir.resolve("ours.age");
        Files.write(ours, encrypt(plain, key.recipient()));
        Path out = dir.resolve("ours.out");
        ProcessResult r = AgeCli.decrypt(ours, out, key.file());
        assertTrue(r.succeeded(), r.stderr());
        assertArrayEquals(plain, Files.readAllBytes(out));

        Path in = dir.resolve("plain.bin");
        Files.write(in, plain);
        Path theirs = dir.resolve("theirs.age");
        AgeCli.encrypt(in, theirs, List.of(key.recipient(), Pair.generate().recipient()));
        assertArrayEquals(plain, decrypt(Files.readAllBytes(theirs),
                AgeKeys.parseIdentities(Files.readString(key.file())).get(0)));

        byte[] flipped = Files.readAllBytes(ours);
        flipped[flipped.length / 2] ^= 0x40;
        Path damaged = dir.resolve("damaged.age");
        Files.write(damaged, flipped);
        assertFalse(AgeCli.decrypt(damaged, dir.resolve("damaged.out"), key.file()).succeeded(),
                "age refuses the flipped byte too");
    }

    private static byte[] encrypt(byte[] plain, String recipient) throws IOException {
        return AgeStreams.encrypt(new ByteArrayInputStream(plain), List.of(recipient)).readAllBytes();
    }

    private static byte[] decrypt(byte[] encrypted, String identity) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = AgeStreams.decrypt(new ByteArrayInputStream(encrypted), List.of(identity))) {
            byte[] buffer = new byte[10_000]; // smaller than a chunk: reads that split chunks
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }
}
