package io.jenkins.plugins.pgbackup.process;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that tools print (stderr, error messages) before it reaches a log or an exception: the
 * known secret values, anything written as {@code password=...} (conninfo strings, {@code PGPASSWORD=...}) and the
 * password of {@code scheme://user:password@host} URIs.
 */
public final class Sanitizer {
    /** What replaces a secret. */
    public static final String MASK = "****";

    private static final Pattern PASSWORD_SETTING =
            Pattern.compile("(?i)(password\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|\"(?:[^\"\\\\]|\\\\.)*\"?|[^\\s'\"]+)");
    private static final Pattern URI_CREDENTIALS =
            Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@]*):([^@\\s/]*)@");

    private Sanitizer() {}

    /**
     * @param text what a tool printed; {@code null} gives ""
     * @param secrets values that must not appear (blank ones are ignored)
     */
    public static String sanitize(String text, Collection<String> secrets) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String result = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, MASK);
                String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
                if (!encoded.equals(secret)) {
                    result = result.replace(encoded, MASK);
                }
            }
        }
        result = PASSWORD_SETTING.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return URI_CREDENTIALS.matcher(result).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
    }
}
