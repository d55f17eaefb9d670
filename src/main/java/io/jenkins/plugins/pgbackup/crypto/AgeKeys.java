package io.jenkins.plugins.pgbackup.crypto;

import com.exceptionfactory.jagged.x25519.X25519KeyFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;

/**
 * Parses and checks age keys: recipients ({@code age1...}, public) and identities ({@code AGE-SECRET-KEY-1...},
 * secret). Messages name recipients and fingerprints, never an identity.
 */
public final class AgeKeys {
    /** How a recipient (public key) starts. */
    public static final String RECIPIENT_PREFIX = "age1";
    /** How an identity (secret key) starts, in the upper case age-keygen writes. */
    public static final String IDENTITY_PREFIX = "AGE-SECRET-KEY-1";
    /** Hex digits of a fingerprint: 64 bits, enough to tell keys apart, too short to matter as a secret. */
    static final int FINGERPRINT_HEX = 16;

    private AgeKeys() {}

    /**
     * The recipients in a text: separated by white space, commas or new lines; lines starting with {@code #} are
     * comments (so the output of {@code age-keygen -y} or a recipients file can be pasted). Duplicates are dropped.
     *
     * @throws IllegalArgumentException naming the first invalid entry (a recipient is public; an identity pasted by
     *     mistake is never repeated)
     */
    public static List<String> parseRecipients(String text) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String token : tokens(text)) {
            if (token.toUpperCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) {
                throw new IllegalArgumentException("an identity (secret key, AGE-SECRET-KEY-1...) was given where a "
                        + "recipient (public key, age1...) belongs; give its public key (age-keygen -y) and keep the "
                        + "identity secret");
            }
            out.add(checkRecipient(token));
        }
        return List.copyOf(out);
    }

    /** A recipient, checked: {@code age1} and a valid X25519 public key. */
    public static String checkRecipient(String recipient) {
        String r = recipient.trim();
        if (!r.startsWith(RECIPIENT_PREFIX)) {
            throw new IllegalArgumentException("'" + r + "' is not an age recipient: X25519 recipients start with "
                    + RECIPIENT_PREFIX + " (age-keygen prints it as the public key)");
        }
        try {
            X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r);
            return r;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("'" + r + "' is not a valid age recipient (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The identities in a secret text: one {@code AGE-SECRET-KEY-1...} per line, or an identity file as age-keygen
     * writes it (comment lines are ignored).
     *
     * @throws IllegalArgumentException when there is none or one is invalid; the message never holds the text
     */
    public static List<String> parseIdentities(String secret) {
        List<String> out = new ArrayList<>();
        for (String token : tokens(secret)) {
            if (!token.toUpperCase(Locale.ROOT).startsWith(IDENTITY_PREFIX)) {
                throw new IllegalArgumentException("the identity must be an age secret key (" + IDENTITY_PREFIX
                        + "..., as written by age-keygen); the credential holds something else"
                        + (token.startsWith(RECIPIENT_PREFIX) ? " (a public key, age1..., which cannot decrypt)" : ""));
            }
            String identity = token.toUpperCase(Locale.ROOT);
            try {
                X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("the identity is not a valid age secret key (" + IDENTITY_PREFIX
                        + "...); check the credential", null);
            }
            out.add(identity);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the identity credential is empty; it must hold an age secret key ("
                    + IDENTITY_PREFIX + "...)");
        }
        return List.copyOf(out);
    }

    /** The recipient (public key, {@code age1...}) of an identity. */
    public static String recipientOf(String identity) {
        try {
            Key key = new X25519KeyFactory().translateKey(
                    new SecretKeySpec(identity.getBytes(StandardCharsets.US_ASCII), "X25519"));
            return new String(key.getEncoded(), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the identity is not a valid age secret key", null);
        }
    }

    /**
     * A short fingerprint of a recipient for metadata and logs: the first 16 hex digits of the SHA-256 of the
     * recipient string. It tells which key opens a backup without naming the key.
     */
    public static String fingerprint(String recipient) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(recipient.trim().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest).substring(0, FINGERPRINT_HEX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The fingerprints of recipients, in order. */
    public static List<String> fingerprints(List<String> recipients) {
        return recipients.stream().map(AgeKeys::fingerprint).toList();
    }

    private static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            for (String t : l.split("[\\s,]+")) {
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
