package io.jenkins.plugins.pgbackup.config;

import java.util.ArrayList;
import java.util.List;

/** String normalisation for data-bound setters, in plain Java so that it runs in unit tests. */
public final class Text {
    private Text() {}

    /** {@code null} for null, empty or blank; otherwise the trimmed text. */
    public static String trimToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    /** The non-blank lines, trimmed. */
    public static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String line : s.split("\\R")) {
                String t = line.trim();
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
