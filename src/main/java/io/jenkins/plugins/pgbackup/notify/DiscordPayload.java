package io.jenkins.plugins.pgbackup.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON body of a Discord "execute webhook" request for a {@link Notification}: a short {@code content} line and one
 * embed. Every text is cut to Discord's documented limits (message resource, "Embed Limits"), so Discord never rejects
 * the payload for its size. Lengths are counted in UTF-16 units, which is never fewer than the code points Discord
 * counts, and cuts never split a surrogate pair.
 */
public final class DiscordPayload {
    public static final int CONTENT_MAX = 2000;
    public static final int TITLE_MAX = 256;
    public static final int DESCRIPTION_MAX = 4096;
    public static final int FIELD_NAME_MAX = 256;
    public static final int FIELD_VALUE_MAX = 1024;
    public static final int FIELDS_MAX = 25;
    public static final int FOOTER_MAX = 2048;
    public static final int AUTHOR_NAME_MAX = 256;
    /** Title, description, field names and values, footer text and author name together, across the message. */
    public static final int EMBED_TOTAL_MAX = 6000;

    public static final int COLOR_SUCCESS = 0x2ECC71;
    public static final int COLOR_FAILURE = 0xE74C3C;

    static final String FOOTER = "PostgreSQL Backup for Jenkins";
    static final String ELLIPSIS = "\u2026";
    /** The error message gets at most this much of the description; stderr's tail holds the detail. */
    private static final int ERROR_MESSAGE_SHARE = 1024;
    /** Below this, a stderr excerpt says nothing useful and is left out. */
    private static final int STDERR_MIN = 64;
    /** Discord accepts embed URLs up to 2048 characters. */
    private static final int URL_MAX = 2048;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DiscordPayload() {}

    /**
     * @param now the time shown when the notification has no {@link Notification#finishedAt()}
     * @return the request body
     */
    public static String json(Notification n, Instant now) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("content", cut(contentLine(n), CONTENT_MAX));
        root.putObject("allowed_mentions").putArray("parse");
        ObjectNode embed = root.putArray("embeds").addObject();
        String title = cut(n.kind().label() + (n.success() ? " succeeded" : " FAILED")
                + (n.database() == null ? "" : ": " + n.database()), TITLE_MAX);
        embed.put("title", title);
        String url = httpUrl(n.buildUrl());
        if (url != null) {
            embed.put("url", url);
        }
        embed.put("color", n.success() ? COLOR_SUCCESS : COLOR_FAILURE);
        List<Field> fields = fields(n, url);
        int fixed = title.length() + FOOTER.length() + fitFields(fields, EMBED_TOTAL_MAX - title.length()
                - FOOTER.length() - (n.success() ? 0 : STDERR_MIN * 4));
        String description = n.success() ? null : description(n, Math.min(DESCRIPTION_MAX, EMBED_TOTAL_MAX - fixed));
        if (description != null && !description.isEmpty()) {
            embed.put("description", description);
        }
        ArrayNode array = embed.putArray("fields");
        for (Field f : fields) {
            array.addObject().put("name", f.name).put("value", f.value).put("inline", f.inline);
        }
        embed.putObject("footer").put("text", FOOTER);
        Instant at = n.finishedAt() == null ? now : n.finishedAt();
        embed.put("timestamp", at.truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a tree of strings", e);
        }
    }

    private static String contentLine(Notification n) {
        String db = n.database() == null ? "" : " of " + n.database();
        return "PostgreSQL " + n.kind().label().toLowerCase(Locale.ROOT) + db + (n.success() ? " succeeded" : " FAILED");
    }

    /** The fields with a value, each already within its own limits. */
    private static List<Field> fields(Notification n, String url) {
        List<Field> f = new ArrayList<>();
        add(f, "Database", code(n.database()), true);
        add(f, "Server", plain(n.serverVersion()), true);
        add(f, n.toolName(), plain(n.toolVersion()), true);
        add(f, "Format", plain(n.format()), true);
        add(f, "Compression", plain(n.compression()), true);
        add(f, "Size", n.sizeBytes() < 0 ? null : size(n.sizeBytes()), true);
        add(f, "Duration", n.duration() == null ? null : duration(n.duration()), true);
        if (n.prunedCount() >= 0) {
            add(f, "Old backups pruned", Integer.toString(n.prunedCount()), true);
        }
        add(f, "Object key", code(n.objectKey()), false);
        add(f, "SHA-256", code(n.sha256()), false);
        add(f, "Jenkins build", buildLink(n.buildName(), url), false);
        return f.size() > FIELDS_MAX ? new ArrayList<>(f.subList(0, FIELDS_MAX)) : f;
    }

    private static void add(List<Field> fields, String name, String value, boolean inline) {
        if (value != null && !value.isBlank()) {
            fields.add(new Field(cut(name, FIELD_NAME_MAX), cut(value, FIELD_VALUE_MAX), inline));
        }
    }

    /** Shortens the longest field values until all fields fit {@code budget}; returns their total length. */
    private static int fitFields(List<Field> fields, int budget) {
        int total = fieldsLength(fields);
        while (total > budget && !fields.isEmpty()) {
            Field longest = fields.get(0);
            for (Field f : fields) {
                if (f.value.length() > longest.value.length()) {
                    longest = f;
                }
            }
            int target = Math.max(ELLIPSIS.length() + 1, longest.value.length() - (total - budget));
            if (target >= longest.value.length()) {
                fields.remove(longest);
            } else {
                longest.value = cut(longest.value, target);
            }
            total = fieldsLength(fields);
        }
        return total;
    }

    private static int fieldsLength(List<Field> fields) {
        int sum = 0;
        for (Field f : fields) {
            sum += f.name.length() + f.value.length();
        }
        return sum;
    }

    /** The error message, then the tail of stderr in a code block, within {@code budget} characters. */
    static String description(Notification n, int budget) {
        StringBuilder d = new StringBuilder();
        if (n.errorMessage() != null) {
            String head = "**Error:** ";
            d.append(head).append(cut(escapeMarkdown(n.errorMessage()),
                    Math.max(0, Math.min(ERROR_MESSAGE_SHARE, budget - head.length()))));
        }
        if (n.stderrTail() != null) {
            String open = (d.length() > 0 ? "\n\n" : "") + "**" + n.toolName() + " stderr (last lines):**\n```\n";
            String close = "\n```";
            int room = budget - d.length() - open.length() - close.length();
            String tail = escapeFences(n.stderrTail().strip());
            if (room >= STDERR_MIN && !tail.isEmpty()) {
                d.append(open).append(keepTail(tail, room)).append(close);
            }
        }
        return d.length() > budget ? cut(d.toString(), budget) : d.toString();
    }

    /** Cuts to {@code max} characters with an ellipsis at the end. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        if (max <= ELLIPSIS.length()) {
            return "";
        }
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + ELLIPSIS;
    }

    /** Keeps the last {@code max} characters, from a line start where one is near, after an ellipsis line. */
    static String keepTail(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        String marker = ELLIPSIS + "\n";
        int start = s.length() - (max - marker.length());
        if (Character.isLowSurrogate(s.charAt(start))) {
            start++;
        }
        int newline = s.indexOf('\n', start);
        if (newline >= 0 && newline + 1 < s.length() && newline - start < max / 4) {
            start = newline + 1;
        }
        return marker + s.substring(start);
    }

    /** A zero-width space after each backtick, so nothing in the text closes (or opens) a code block. */
    static String escapeFences(String s) {
        return s.replace("`", "`\u200b");
    }

    private static String escapeMarkdown(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("\\*_~`|>#[]".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String plain(String s) {
        return s == null ? null : escapeMarkdown(s);
    }

    /** Inline code; backticks inside would end it, so they become a look-alike. */
    private static String code(String s) {
        return s == null ? null : "`" + s.replace('`', '\u02cb') + "`";
    }

    private static String buildLink(String name, String url) {
        if (url == null) {
            return plain(name);
        }
        String label = name == null ? "Open the build" : escapeMarkdown(name).replace("]", "\\]");
        String link = "[" + label + "](" + url + ")";
        return link.length() <= FIELD_VALUE_MAX ? link : url;
    }

    /** The URL, when it is an absolute http(s) URL Discord accepts in an embed; otherwise {@code null}. */
    private static String httpUrl(String s) {
        if (s == null || s.length() > URL_MAX) {
            return null;
        }
        try {
            URI u = new URI(s);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null ? u.toASCIIString() : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** "1.5 GiB (1,610,612,736 bytes)". */
    static String size(long bytes) {
        String exact = String.format(Locale.ROOT, "%,d bytes", bytes);
        if (bytes < 1024) {
            return exact;
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%s)", v, units[u], exact);
    }

    /** "2 h 3 min 4 s", "12.3 s". */
    static String duration(Duration d) {
        long s = d.getSeconds();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        StringBuilder b = new StringBuilder();
        if (s >= 3600) {
            b.append(s / 3600).append(" h ");
        }
        if (s >= 60) {
            b.append((s % 3600) / 60).append(" min ");
        }
        return b.append(s % 60).append(" s").toString();
    }

    /** One embed field; the value may be shortened to fit the embed's total. */
    private static final class Field {
        private final String name;
        private String value;
        private final boolean inline;

        Field(String name, String value, boolean inline) {
            this.name = name;
            this.value = value;
            this.inline = inline;
        }
    }
}
