package io.jenkins.plugins.pgbackup.tools;

import io.jenkins.plugins.pgbackup.db.PostgresVersion;
import java.io.Serial;
import java.io.Serializable;

/**
 * Which client major to pick: at least a minimum, preferably a given major. Among installed clients of at least the
 * minimum: the preferred major; else the lowest major above it; else the newest below it. Without either, the
 * newest client.
 *
 * <p>pg_dump uses {@link #forServer}: minimum and preference are the server's major, so it never picks an older
 * client (pg_dump refuses with "server version mismatch"). pg_restore can use {@link #atLeast} with the archive's
 * pg_dump as minimum and the target server as preference.
 */
public final class ClientPolicy implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final PostgresVersion minimum;
    private final PostgresVersion preferred;

    private ClientPolicy(PostgresVersion minimum, PostgresVersion preferred) {
        this.minimum = minimum;
        this.preferred = preferred;
    }

    /** The server's major exactly, else the lowest newer one; never an older one. */
    public static ClientPolicy forServer(PostgresVersion server) {
        return new ClientPolicy(server, server);
    }

    /**
     * @param minimum no older major is acceptable; {@code null} for any
     * @param preferred the major to pick if installed; {@code null} for the newest acceptable
     */
    public static ClientPolicy atLeast(PostgresVersion minimum, PostgresVersion preferred) {
        return new ClientPolicy(minimum, preferred);
    }

    /** The newest client found: for a server whose version is unknown. */
    public static ClientPolicy newest() {
        return new ClientPolicy(null, null);
    }

    /** {@code null} if any major will do. */
    public PostgresVersion minimum() {
        return minimum;
    }

    /** {@code null} if the newest acceptable one is wanted. */
    public PostgresVersion preferred() {
        return preferred;
    }

    boolean accepts(PostgresVersion client) {
        return minimum == null || client.majorOrdinal() >= minimum.majorOrdinal();
    }

    /** The major a user should install when nothing fits. */
    PostgresVersion toInstall() {
        return preferred != null ? preferred : minimum;
    }

    /** "major 17 or newer", "major 13 or newer, preferably 17", "the newest available". */
    String describe() {
        if (minimum == null && preferred == null) {
            return "the newest available";
        }
        if (minimum == null) {
            return "preferably major " + preferred.majorLabel();
        }
        String text = "major " + minimum.majorLabel() + " or newer";
        return preferred == null || preferred.sameMajor(minimum) ? text : text + ", preferably " + preferred.majorLabel();
    }

    @Override
    public String toString() {
        return describe();
    }
}
