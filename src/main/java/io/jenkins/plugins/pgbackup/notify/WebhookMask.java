package io.jenkins.plugins.pgbackup.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Hides a webhook URL, which is a credential (its last path element is the token), in any text: the URL itself, its
 * forms without query or fragment, its token, and anything shaped like a Discord webhook URL.
 */
final class WebhookMask {
    static final String MASK = "****";
    private static final Pattern ANY_WEBHOOK =
            Pattern.compile("(?i)(https?://)?[\\w.-]*(?:discord(?:app)?\\.com)/api/(?:v\\d+/)?webhooks/[^\\s\"'<>]+");
    private static final Pattern WEBHOOK_PATH = Pattern.compile("/api/(?:v\\d+/)?webhooks/[^\\s\"'<>]+");
    /** Path elements shorter than this could be ordinary words; tokens are about 68 characters. */
    private static final int MIN_SECRET = 8;

    private final List<String> secrets = new ArrayList<>();

    WebhookMask(String url) {
        if (url == null || url.isBlank()) {
            return;
        }
        addSecret(url.trim());
        try {
            URI u = new URI(url.trim());
            if (u.getRawPath() != null) {
                addSecret(u.getRawPath());
                int slash = u.getRawPath().lastIndexOf('/');
                addSecret(u.getRawPath().substring(slash + 1));
                if (u.getPath() != null) {
                    addSecret(u.getPath().substring(u.getPath().lastIndexOf('/') + 1));
                }
            }
            if (u.getScheme() != null && u.getRawAuthority() != null) {
                addSecret(u.getScheme() + "://" + u.getRawAuthority() + (u.getRawPath() == null ? "" : u.getRawPath()));
            }
        } catch (URISyntaxException e) {
            // not a URI: the whole string, already added, is the secret
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    private void addSecret(String s) {
        if (s.length() >= MIN_SECRET && !secrets.contains(s)) {
            secrets.add(s);
        }
    }

    /** The text with every form of the URL replaced by {@value #MASK}; {@code null} stays {@code null}. */
    String apply(String text) {
        if (text == null) {
            return null;
        }
        String t = text;
        for (String s : secrets) {
            t = t.replace(s, MASK);
        }
        t = ANY_WEBHOOK.matcher(t).replaceAll("https://discord.com/api/webhooks/" + MASK);
        return WEBHOOK_PATH.matcher(t).replaceAll("/api/webhooks/" + MASK);
    }
}
