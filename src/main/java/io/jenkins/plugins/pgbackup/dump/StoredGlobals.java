package io.jenkins.plugins.pgbackup.dump;

import java.io.Serial;
import java.io.Serializable;

/**
 * The cluster's globals stored next to a backup ({@code includeGlobals}).
 *
 * @param key the object's key: the dump's with {@code .globals.sql} for its extension
 * @param size the stored bytes
 * @param sha256 of the stored bytes, lower-case hex
 * @param pgDumpallVersion the version of the pg_dumpall that wrote them
 * @param rolePasswords whether role passwords are included (false: dumped with {@code --no-role-passwords})
 */
public record StoredGlobals(String key, long size, String sha256, String pgDumpallVersion, boolean rolePasswords)
        implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
