package io.jenkins.plugins.pgbackup.demo;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.crypto.AgeKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The demo's secrets: made once, on the first start, and kept in {@code secrets.properties} (owner-only) in the
 * demo's folder, so that a second start finds the database roles, the S3 keys and the age identity it made before.
 */
public record DemoSecrets(String postgresPassword, String ownerPassword, String s3AccessKey, String s3SecretKey,
        String ageIdentity) {

    static final String FILE = "secrets.properties";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** The age recipient (public key) of {@link #ageIdentity()}: what the storage target encrypts for. */
    public String ageRecipient() {
        return AgeKeys.recipientOf(ageIdentity);
    }

    /** The secrets kept in {@code dir}, made and written there first if there are none yet. */
    public static synchronized DemoSecrets loadOrCreate(Path dir) throws IOException {
        DemoSecrets existing = load(dir);
        if (existing != null) {
            return existing;
        }
        DemoSecrets made = new DemoSecrets(password(24), password(24), "demo-" + password(12).toLowerCase(java.util.Locale.ROOT),
                password(32), newIdentity());
        made.write(dir);
        return made;
    }

    /** The secrets kept in {@code dir}, or {@code null} before the first start. */
    public static DemoSecrets load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new DemoSecrets(p.getProperty("postgres.password"), p.getProperty("owner.password"),
                p.getProperty("s3.accessKey"), p.getProperty("s3.secretKey"), p.getProperty("age.identity"));
    }

    private void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.setProperty("postgres.password", postgresPassword);
        p.setProperty("owner.password", ownerPassword);
        p.setProperty("s3.accessKey", s3AccessKey);
        p.setProperty("s3.secretKey", s3SecretKey);
        p.setProperty("age.identity", ageIdentity);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        // Owner-only before anything secret is written into it.
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "PostgreSQL Backup demo: made on the first start; delete this folder to start over");
        }
        Files.move(tmp, dir.resolve(FILE));
    }

    /** A random password of letters and digits that cannot be mistaken for one another. */
    public static String password(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    private static String newIdentity() throws IOException {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            return new String(pair.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the demo's age key pair", e);
        }
    }

    @Override
    public String toString() {
        return "DemoSecrets[...]";
    }
}
