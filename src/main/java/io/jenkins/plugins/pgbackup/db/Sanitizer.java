package io.jenkins.plugins.pgbackup.db;

import java.util.regex.Pattern;

/** Removes secrets from text that may reach a log, a message or a notification. */
public final class Sanitizer {
    private static final Pattern PASSWORD_ASSIGNMENT =
            Pattern.compile("(?i)(password\\s*[=:]\\s*)('(?:[^'\\\\]|\\\\.)*'|\\S+)");
    private static final Pattern URI_CREDENTIALS = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/\\s:@]+):[^@\\s/]*@");

    private Sanitizer() {}

    /**
     * @return {@code text} with every occurrence of {@code secret}, {@code password=...} assignments and
     *     {@code scheme://user:password@} credentials masked
     */
    public static String withoutSecret(String text, String secret) {
        if (text == null) {
            return null;
        }
        String t = text;
        if (secret != null && !secret.isEmpty()) {
            t = t.replace(secret, "****");
        }
        t = PASSWORD_ASSIGNMENT.matcher(t).replaceAll("$1****");
        return URI_CREDENTIALS.matcher(t).replaceAll("$1:****@");
    }
}
