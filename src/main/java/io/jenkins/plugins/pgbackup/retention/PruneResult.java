package io.jenkins.plugins.pgbackup.retention;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What retention did after a backup: the keys the rules selected, those actually deleted, and those that could not be
 * deleted with the reason. In a dry run nothing is deleted and {@link #getSelected()} is what would have gone.
 */
public final class PruneResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean dryRun;
    private final List<String> kept;
    private final List<String> selected;
    private final List<String> pruned;
    private final List<String> leftovers;
    private final List<String> abortedUploads;
    private final Map<String, String> failed;

    PruneResult(boolean dryRun, List<String> kept, List<String> selected, List<String> pruned, List<String> leftovers,
            List<String> abortedUploads, Map<String, String> failed) {
        this.dryRun = dryRun;
        this.kept = List.copyOf(kept);
        this.selected = List.copyOf(selected);
        this.pruned = List.copyOf(pruned);
        this.leftovers = List.copyOf(leftovers);
        this.abortedUploads = List.copyOf(abortedUploads);
        this.failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
    }

    public boolean isDryRun() {
        return dryRun;
    }

    /** Keys of the database's backups that stay, newest first. */
    public List<String> getKept() {
        return kept;
    }

    /** Keys the rules selected for deletion, newest first. */
    public List<String> getSelected() {
        return selected;
    }

    /** Keys deleted (and confirmed gone); empty in a dry run. */
    public List<String> getPruned() {
        return pruned;
    }

    /**
     * Leftovers of unfinished backups deleted (in a dry run: that would be): dumps without manifest and manifests
     * without dump, older than the grace period. Not backups, so not in {@link #getPruned()}.
     */
    public List<String> getLeftovers() {
        return leftovers;
    }

    /**
     * Multipart uploads of unfinished backups aborted (in a dry run: that would be), older than the grace period, as
     * {@code "<key> (upload <id>)"}.
     */
    public List<String> getAbortedUploads() {
        return abortedUploads;
    }

    /** Keys that could not be deleted, with the reason. Never left out: report them. */
    public Map<String, String> getFailed() {
        return failed;
    }

    /** Whether everything selected was deleted (or, in a dry run, nothing failed). */
    public boolean isComplete() {
        return failed.isEmpty();
    }

    @Override
    public String toString() {
        return (dryRun ? "dry run: would prune " + selected.size() : "pruned " + pruned.size()) + ", kept "
                + kept.size() + (leftovers.isEmpty() ? "" : ", leftovers " + leftovers)
                + (abortedUploads.isEmpty() ? "" : ", open uploads aborted " + abortedUploads)
                + (failed.isEmpty() ? "" : ", failed " + failed.keySet());
    }
}
