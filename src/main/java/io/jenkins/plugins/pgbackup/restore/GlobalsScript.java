package io.jenkins.plugins.pgbackup.restore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The script {@code pg_dumpall --globals-only} writes (roles, their settings and memberships, tablespaces), prepared
 * for a server that already has some of those globals.
 *
 * <p>pg_dumpall writes {@code CREATE ROLE x;} followed by {@code ALTER ROLE x WITH ...} for every role, expecting
 * the CREATE to fail harmlessly where the role exists. Run with {@code ON_ERROR_STOP} that failure would stop
 * everything, and the ALTER would overwrite the existing role's attributes and password (the target's own
 * {@code postgres} among them). So the script is split into statements (quotes, identifiers, comments and psql's
 * backslash commands respected) and every statement about a role or tablespace that the target already has is left
 * out: those are kept as they are and reported. Everything else, memberships ({@code GRANT a TO b}) included, runs
 * unchanged, and any other error stops the restore.
 */
final class GlobalsScript {
    private static final Pattern PASSWORD = Pattern.compile("PASSWORD '((?:[^']|'')*)'");

    private final List<Statement> statements;

    /** One statement with the text that ends it, or one psql backslash command line, with what it is about. */
    record Statement(String text, Subject subject) {}

    /** What a statement creates or changes: a role or a tablespace with its name, and whether it creates it. */
    record Subject(boolean role, String name, boolean creates) {}

    /** What preparing the script for a target found. */
    record Prepared(String script, List<String> createdRoles, List<String> keptRoles, List<String> createdTablespaces,
            List<String> keptTablespaces, int skippedStatements) {
        /** CREATE TABLESPACE cannot run in a transaction block; everything else can run as one transaction. */
        boolean transactional() {
            return createdTablespaces.isEmpty();
        }
    }

    private GlobalsScript(List<Statement> statements) {
        this.statements = statements;
    }

    /**
     * The password literals of the script (SCRAM or MD5 hashes, or clear text), for the log masking: psql repeats a
     * failed statement in its error message.
     */
    static List<String> passwords(String script) {
        List<String> found = new ArrayList<>();
        Matcher m = PASSWORD.matcher(script);
        while (m.find()) {
            found.add(m.group(1).replace("''", "'"));
        }
        return found;
    }

    static GlobalsScript parse(String script) {
        return new GlobalsScript(split(script));
    }

    List<Statement> statements() {
        return statements;
    }

    /**
     * The script without the statements about roles and tablespaces in {@code existingRoles} and
     * {@code existingTablespaces} (names exactly as in pg_roles and pg_tablespace).
     */
    Prepared prepare(Set<String> existingRoles, Set<String> existingTablespaces) {
        StringBuilder out = new StringBuilder();
        Set<String> createdRoles = new LinkedHashSet<>();
        Set<String> keptRoles = new LinkedHashSet<>();
        Set<String> createdSpaces = new LinkedHashSet<>();
        Set<String> keptSpaces = new LinkedHashSet<>();
        int skipped = 0;
        for (Statement s : statements) {
            Subject subject = s.subject();
            if (subject == null) {
                out.append(s.text());
                continue;
            }
            Set<String> existing = subject.role() ? existingRoles : existingTablespaces;
            if (existing.contains(subject.name())) {
                (subject.role() ? keptRoles : keptSpaces).add(subject.name());
                skipped++;
                // Says in the script itself what was left out and why.
                out.append("-- left out: the target already has ").append(subject.role() ? "role " : "tablespace ")
                        .append(subject.name().replaceAll("[\\r\\n]", " ")).append('\n');
            } else {
                if (subject.creates()) {
                    (subject.role() ? createdRoles : createdSpaces).add(subject.name());
                }
                out.append(s.text());
            }
        }
        return new Prepared(out.toString(), List.copyOf(createdRoles), List.copyOf(keptRoles),
                List.copyOf(createdSpaces), List.copyOf(keptSpaces), skipped);
    }

    /** Splits at semicolons outside quotes and comments; a backslash command is its own statement up to its line end. */
    static List<Statement> split(String script) {
        List<Statement> result = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = script.length();
        boolean atStatementStart = true;
        while (i < n) {
            char c = script.charAt(i);
            if (atStatementStart && Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (atStatementStart && c == '\\') {
                int end = lineEnd(script, i);
                result.add(new Statement(script.substring(start, end), null));
                start = end;
                i = end;
                continue;
            }
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                i = lineEnd(script, i);
                if (atStatementStart) {
                    result.add(new Statement(script.substring(start, i), null));
                    start = i;
                }
                continue;
            }
            atStatementStart = false;
            if (c == '\'') {
                boolean escapes = i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e');
                i = quotedEnd(script, i, '\'', escapes);
            } else if (c == '"') {
                i = quotedEnd(script, i, '"', false);
            } else if (c == ';') {
                int end = lineEnd(script, i + 1);
                // Only blanks may follow on the same line for them to belong to this statement.
                end = script.substring(i + 1, end).isBlank() ? end : i + 1;
                String text = script.substring(start, end);
                result.add(new Statement(text, subjectOf(text)));
                start = end;
                i = end;
                atStatementStart = true;
            } else {
                i++;
            }
        }
        if (start < n) {
            String rest = script.substring(start);
            result.add(new Statement(rest, rest.isBlank() ? null : subjectOf(rest)));
        }
        return result;
    }

    /** The index after the end of the line at {@code from} (after its newline), or the script's end. */
    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl + 1;
    }

    /** The index after the closing quote; a doubled quote is part of the text, as is a backslash-escaped one. */
    private static int quotedEnd(String s, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return s.length();
    }

    /**
     * The role or tablespace a statement is about: {@code CREATE|ALTER ROLE x}, {@code COMMENT ON ROLE x},
     * {@code SECURITY LABEL [FOR p] ON ROLE x}, the same for TABLESPACE, and {@code GRANT|REVOKE ... ON TABLESPACE x};
     * {@code null} for anything else (memberships, SET, parameter privileges).
     */
    static Subject subjectOf(String statement) {
        Tokens t = new Tokens(statement);
        String first = t.word();
        if (first == null) {
            return null;
        }
        switch (first) {
            case "CREATE", "ALTER" -> {
                String kind = t.word();
                return object(kind, t.name(), first.equals("CREATE"));
            }
            case "COMMENT" -> {
                return "ON".equals(t.word()) ? object(t.word(), t.name(), false) : null;
            }
            case "SECURITY" -> {
                if (!"LABEL".equals(t.word())) {
                    return null;
                }
                String next = t.word();
                if ("FOR".equals(next)) {
                    t.name();
                    next = t.word();
                }
                return "ON".equals(next) ? object(t.word(), t.name(), false) : null;
            }
            case "GRANT", "REVOKE" -> {
                String name = t.nameAfter("ON", "TABLESPACE");
                return name == null ? null : new Subject(false, name, false);
            }
            default -> {
                return null;
            }
        }
    }

    private static Subject object(String kind, String name, boolean creates) {
        if (name == null) {
            return null;
        }
        if ("ROLE".equals(kind) || "USER".equals(kind) || "GROUP".equals(kind)) {
            return new Subject(true, name, creates);
        }
        return "TABLESPACE".equals(kind) ? new Subject(false, name, creates) : null;
    }

    /** Reads keywords (upper-cased) and identifiers (unquoted ones folded to lower case, as the server does). */
    private static final class Tokens {
        private final String s;
        private int i;

        Tokens(String s) {
            this.s = s;
        }

        private void skipBlanksAndComments() {
            while (i < s.length()) {
                if (Character.isWhitespace(s.charAt(i))) {
                    i++;
                } else if (s.startsWith("--", i)) {
                    i = lineEnd(s, i);
                } else {
                    return;
                }
            }
        }

        /** The next bare word, upper case, or {@code null} if a quoted name, a symbol or the end comes first. */
        String word() {
            skipBlanksAndComments();
            int from = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                i++;
            }
            return i == from ? null : s.substring(from, i).toUpperCase(Locale.ROOT);
        }

        /** The next identifier as the server stores it, or {@code null}. */
        String name() {
            skipBlanksAndComments();
            if (i < s.length() && s.charAt(i) == '"') {
                int end = quotedEnd(s, i, '"', false);
                String quoted = s.substring(i + 1, Math.max(i + 1, end - 1)).replace("\"\"", "\"");
                i = end;
                return quoted;
            }
            String w = word();
            return w == null ? null : w.toLowerCase(Locale.ROOT);
        }

        /** The identifier after the keywords {@code a b} anywhere later (outside quotes), or {@code null}. */
        String nameAfter(String a, String b) {
            while (i < s.length()) {
                skipBlanksAndComments();
                if (i >= s.length()) {
                    return null;
                }
                char c = s.charAt(i);
                if (c == '\'' || c == '"') {
                    i = quotedEnd(s, i, c, false);
                    continue;
                }
                String w = word();
                if (w == null) {
                    i++;
                } else if (w.equals(a)) {
                    int mark = i;
                    if (b.equals(word())) {
                        return name();
                    }
                    i = mark;
                }
            }
            return null;
        }
    }
}
