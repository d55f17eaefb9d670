package io.jenkins.plugins.pgbackup.catalog;

/** The {@code pgRestore} call that restores one backup, as a Pipeline line to copy. */
public final class RestoreSnippets {
    /** Stands for the connection to restore into, which the page cannot know. */
    public static final String CONNECTION_PLACEHOLDER = "TARGET-CONNECTION";

    private RestoreSnippets() {}

    /** {@code pgRestore storage: 'r2', key: 'a/b.dump', connection: 'TARGET-CONNECTION'}. */
    public static String pgRestore(String storageTarget, String key) {
        return "pgRestore storage: " + quote(storageTarget) + ", key: " + quote(key) + ", connection: "
                + quote(CONNECTION_PLACEHOLDER);
    }

    /** A Groovy single-quoted string: backslashes and single quotes escaped. */
    static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
