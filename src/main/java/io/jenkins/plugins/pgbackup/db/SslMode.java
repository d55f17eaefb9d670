package io.jenkins.plugins.pgbackup.db;

import java.util.Locale;

/** libpq's {@code sslmode}, shared by pgJDBC and the command-line tools. */
public enum SslMode {
    DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

    /** The value libpq and pgJDBC take: "verify-full". */
    public String value() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text "require", "verify-full", ...; blank means {@link #PREFER}, libpq's default
     * @throws IllegalArgumentException for anything else
     */
    public static SslMode fromValue(String text) {
        if (text == null || text.isBlank()) {
            return PREFER;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (SslMode m : values()) {
            if (m.value().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("sslmode must be one of disable, allow, prefer, require, verify-ca, "
                + "verify-full, not '" + text + "'");
    }
}
