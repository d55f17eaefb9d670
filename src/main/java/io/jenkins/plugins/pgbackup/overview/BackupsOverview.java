package io.jenkins.plugins.pgbackup.overview;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** Everything the backups page shows: every configured storage target, read at one moment. */
public final class BackupsOverview implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Instant readAt;
    private final long millis;
    private final List<TargetView> targets;

    BackupsOverview(Instant readAt, long millis, List<TargetView> targets) {
        this.readAt = readAt;
        this.millis = millis;
        this.targets = List.copyOf(targets);
    }

    /** "2026-12-06 11:14:46 UTC". */
    public String getReadAt() {
        return TimeTexts.exact(readAt);
    }

    /** How long reading storage took. */
    public long getMillis() {
        return millis;
    }

    public List<TargetView> getTargets() {
        return targets;
    }

    public boolean isNoTargets() {
        return targets.isEmpty();
    }

    /** The target view of that name, or {@code null}. */
    public TargetView target(String name) {
        return targets.stream().filter(t -> t.getName().equals(name)).findFirst().orElse(null);
    }
}
