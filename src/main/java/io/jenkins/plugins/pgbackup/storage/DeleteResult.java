package io.jenkins.plugins.pgbackup.storage;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a batch delete did: the keys gone and, for every key that is not, why. Nothing is left out. */
public final class DeleteResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<String> deleted;
    private final Map<String, String> failed;

    DeleteResult(List<String> deleted, Map<String, String> failed) {
        this.deleted = List.copyOf(deleted);
        this.failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }

    /** Keys deleted, and confirmed gone by a listing afterwards. */
    public List<String> getDeleted() {
        return deleted;
    }

    /** Keys not deleted, each with the reason (the server's error code and message, or why it is still there). */
    public Map<String, String> getFailed() {
        return failed;
    }

    public boolean isComplete() {
        return failed.isEmpty();
    }

    @Override
    public String toString() {
        return deleted.size() + " deleted" + (failed.isEmpty() ? "" : ", " + failed.size() + " failed: " + failed);
    }
}
