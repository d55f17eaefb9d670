package io.jenkins.plugins.pgbackup.db;

import java.io.Serial;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version as the server reports it in {@code server_version_num}, or as a client prints it in
 * {@code --version}. Since PostgreSQL 10 the major version is the first number; before it, the first two (9.6).
 */
public final class PostgresVersion implements Comparable<PostgresVersion>, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** "pg_dump (PostgreSQL) 17.6 (Debian 17.6-1.pgdg12+1)", "psql (PostgreSQL) 18beta1", "PostgreSQL 9.6.24 on ...". */
    private static final Pattern VERSION_TEXT =
            Pattern.compile("(?:PostgreSQL\\)?|EnterpriseDB)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    private final int num;

    private PostgresVersion(int num) {
        if (num < 10000) {
            throw new IllegalArgumentException("Not a PostgreSQL version number: " + num);
        }
        this.num = num;
    }

    /** From {@code server_version_num}, e.g. 170006 or 90624. */
    public static PostgresVersion fromVersionNum(int num) {
        return new PostgresVersion(num);
    }

    /** Parses {@code server_version_num} as text. */
    public static PostgresVersion fromVersionNum(String num) {
        try {
            return fromVersionNum(Integer.parseInt(num.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a PostgreSQL version number: " + num, e);
        }
    }

    /** A major version alone: 17, or 9.6 written as ("9", "6"). */
    public static PostgresVersion ofMajor(int major) {
        return new PostgresVersion(major * 10000);
    }

    /**
     * Parses a major version as users write it: "17", "9.6", "17.2" (the minor is kept).
     *
     * @throws IllegalArgumentException if it is not a version
     */
    public static PostgresVersion parse(String text) {
        String t = Objects.requireNonNull(text, "version").trim();
        Matcher m = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL version: " + text);
        }
        return of(m.group(1), m.group(2), m.group(3));
    }

    /**
     * Finds the version in the output of {@code pg_dump --version}, {@code psql --version} or {@code SELECT version()},
     * vendor builds included.
     *
     * @return the version, or {@code null} when the text names none
     */
    public static PostgresVersion fromVersionText(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = VERSION_TEXT.matcher(text);
        return m.find() ? of(m.group(1), m.group(2), m.group(3)) : null;
    }

    private static PostgresVersion of(String first, String second, String third) {
        int a = Integer.parseInt(first);
        int b = second == null ? 0 : Integer.parseInt(second);
        int c = third == null ? 0 : Integer.parseInt(third);
        if (a >= 10) {
            return new PostgresVersion(a * 10000 + b);
        }
        return new PostgresVersion(a * 10000 + b * 100 + c);
    }

    /** The {@code server_version_num} form: 170006. */
    public int versionNum() {
        return num;
    }

    /** The first number of the version: 17, or 9 for 9.6. */
    public int major() {
        return num / 10000;
    }

    /** The major as PostgreSQL names it: "17", or "9.6" before PostgreSQL 10. */
    public String majorLabel() {
        return num >= 100000 ? Integer.toString(num / 10000) : (num / 10000) + "." + (num / 100) % 100;
    }

    /** Orders majors: 906 for 9.6, 1700 for 17. */
    public int majorOrdinal() {
        return num >= 100000 ? (num / 10000) * 100 : (num / 10000) * 100 + (num / 100) % 100;
    }

    public boolean sameMajor(PostgresVersion other) {
        return majorOrdinal() == other.majorOrdinal();
    }

    @Override
    public int compareTo(PostgresVersion o) {
        return Integer.compare(num, o.num);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostgresVersion v && v.num == num;
    }

    @Override
    public int hashCode() {
        return num;
    }

    /** "17.6", "9.6.24". */
    @Override
    public String toString() {
        if (num >= 100000) {
            return String.format(Locale.ROOT, "%d.%d", num / 10000, num % 10000);
        }
        return String.format(Locale.ROOT, "%d.%d.%d", num / 10000, (num / 100) % 100, num % 100);
    }
}
