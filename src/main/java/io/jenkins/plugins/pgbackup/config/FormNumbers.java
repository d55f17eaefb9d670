package io.jenkins.plugins.pgbackup.config;

/** Numbers as form fields submit them: text that may be empty or not a number at all. */
public final class FormNumbers {
    private FormNumbers() {}

    /** {@code null} for blank; {@code Integer.MIN_VALUE} for text that is not a whole number, so range checks fail. */
    public static Integer parseOrNull(String value) {
        String v = Text.trimToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** Like {@link #parseOrNull} with a value for blank. */
    public static int parse(String value, int blank) {
        Integer i = parseOrNull(value);
        return i == null ? blank : i;
    }
}
