package io.jenkins.plugins.pgbackup.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Extra pg_dump options as an administrator types them ({@code --exclude-table-data='audit.*' --no-comments}), split
 * into an argument list the way a POSIX shell would split quoted words, but never handed to a shell. Options the
 * plugin sets itself (output, format, compression, jobs, connection) are refused: they would break the upload or the
 * credentials handling.
 */
public final class ExtraOptions {

    private static final Set<String> RESERVED_LONG = Set.of("--file", "--format", "--compress", "--jobs", "--host",
            "--port", "--username", "--dbname", "--no-password", "--password", "--version", "--help");
    /** Short forms of the reserved options. */
    private static final String RESERVED_SHORT = "fFZjhpUdwWV?";
    /** Short options that take an argument: the rest of the word is that argument, not more options. */
    private static final String SHORT_WITH_ARGUMENT = "defFhjnNpStTUZ";

    private ExtraOptions() {}

    /**
     * @return the arguments; empty for a blank text
     * @throws IllegalArgumentException with a message for the user when a quote is open, a word is not an option or an
     *     option is reserved
     */
    public static List<String> parse(String text) {
        List<String> words = split(text == null ? "" : text);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("-")) {
                boolean isValueOfPrevious = i > 0 && takesSeparateValue(words.get(i - 1));
                if (!isValueOfPrevious) {
                    throw new IllegalArgumentException(Messages.Validation_ExtraOptionNotOption(w));
                }
                continue;
            }
            checkNotReserved(w);
        }
        return words;
    }

    /**
     * "-n" followed by its value as the next word. Long options must carry theirs ({@code --schema=public}): which
     * long options take a value differs between pg_dump releases, so a separate word after one cannot be told apart
     * from a stray word.
     */
    private static boolean takesSeparateValue(String option) {
        return !option.startsWith("--") && option.length() == 2 && SHORT_WITH_ARGUMENT.indexOf(option.charAt(1)) >= 0;
    }

    private static void checkNotReserved(String option) {
        if (option.startsWith("--")) {
            String name = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            if (RESERVED_LONG.contains(name)) {
                throw new IllegalArgumentException(Messages.Validation_ExtraOptionReserved(name));
            }
            return;
        }
        for (int i = 1; i < option.length(); i++) {
            char c = option.charAt(i);
            if (RESERVED_SHORT.indexOf(c) >= 0) {
                throw new IllegalArgumentException(Messages.Validation_ExtraOptionReserved("-" + c));
            }
            if (SHORT_WITH_ARGUMENT.indexOf(c) >= 0) {
                return;
            }
        }
    }

    private static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException(Messages.Validation_ExtraOptionsQuote());
        }
        if (inWord) {
            words.add(current.toString());
        }
        return words;
    }
}
