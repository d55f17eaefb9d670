package io.jenkins.plugins.pgbackup.steps;

import java.util.ArrayList;
import java.util.List;

/** The secrets of a plan, for masking. */
final class Secrets {
    private Secrets() {}

    static List<String> of(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }
}
