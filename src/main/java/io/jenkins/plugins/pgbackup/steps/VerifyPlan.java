package io.jenkins.plugins.pgbackup.steps;

import java.io.Serial;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restore drill with every option decided on the controller: the restore as {@code pgRestore} would run it, plus
 * the scratch database and the checks. Its {@code toString()} holds no secret (the restore plan's has none).
 *
 * @param build the build number, for the default scratch name
 * @param buildUrl the build's URL relative to Jenkins, for the stored record
 * @param minRows table to fewest rows, in the order given
 */
public record VerifyPlan(RestorePlan restore, String scratchDatabase, String build, String buildUrl,
        Map<String, Long> minRows, List<String> sql) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    public VerifyPlan {
        minRows = Collections.unmodifiableMap(new LinkedHashMap<>(minRows));
        sql = List.copyOf(sql);
    }
}
