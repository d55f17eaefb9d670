package io.jenkins.plugins.pgbackup.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Discord's documented message and embed limits, checked independently of the payload builder (written from the
 * documentation, not from {@link DiscordPayload}'s constants): what Discord would reject with HTTP 400.
 */
final class DiscordLimits {
    private DiscordLimits() {}

    /** Every limit the payload breaks; empty when Discord would accept it. */
    static List<String> violations(JsonNode payload) {
        List<String> v = new ArrayList<>();
        max(v, "content", payload.path("content").asText(""), 2000);
        JsonNode embeds = payload.path("embeds");
        if (embeds.size() > 10) {
            v.add("more than 10 embeds");
        }
        int total = 0;
        for (JsonNode e : embeds) {
            total += max(v, "title", e.path("title").asText(""), 256);
            total += max(v, "description", e.path("description").asText(""), 4096);
            total += max(v, "footer.text", e.path("footer").path("text").asText(""), 2048);
            total += max(v, "author.name", e.path("author").path("name").asText(""), 256);
            JsonNode fields = e.path("fields");
            if (fields.size() > 25) {
                v.add("more than 25 fields: " + fields.size());
            }
            for (JsonNode f : fields) {
                String name = f.path("name").asText("");
                String value = f.path("value").asText("");
                if (name.isEmpty() || value.isEmpty()) {
                    v.add("a field with an empty name or value: " + f);
                }
                total += max(v, "field.name", name, 256);
                total += max(v, "field.value", value, 1024);
            }
        }
        if (total > 6000) {
            v.add("embed characters in all: " + total + " > 6000");
        }
        return v;
    }

    /** Counts both code points (what Discord counts) and UTF-16 units (never fewer), and rejects broken pairs. */
    private static int max(List<String> v, String what, String s, int limit) {
        if (s.length() > limit) {
            v.add(what + " has " + s.length() + " UTF-16 units > " + limit);
        }
        if (s.codePointCount(0, s.length()) > limit) {
            v.add(what + " has more than " + limit + " code points");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (Character.isHighSurrogate(c) && !pairedHigh) {
                v.add(what + " has a lone high surrogate at " + i);
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                v.add(what + " has a lone low surrogate at " + i);
            }
        }
        return s.length();
    }
}
