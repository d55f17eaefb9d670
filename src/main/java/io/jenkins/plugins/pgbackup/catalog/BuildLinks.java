package io.jenkins.plugins.pgbackup.catalog;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Links to the build named in a backup's {@code backup-by} metadata, {@code jenkins:<job full name>#<number>} (as
 * {@code Run.getExternalizableId()} writes it): {@code jenkins:team/nightly#12} is {@code <root>job/team/job/nightly/12/}.
 */
public final class BuildLinks {
    private static final String SCHEME = "jenkins:";

    private BuildLinks() {}

    /** The build's URL, or {@code null} when {@code backupBy} names no Jenkins build or the root URL is unknown. */
    public static String url(String rootUrl, String backupBy) {
        String[] job = parse(backupBy);
        if (job == null || rootUrl == null || rootUrl.isBlank()) {
            return null;
        }
        StringBuilder sb = new StringBuilder(rootUrl.endsWith("/") ? rootUrl : rootUrl + "/");
        for (String segment : job[0].split("/")) {
            sb.append("job/").append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"))
                    .append('/');
        }
        return sb.append(job[1]).append('/').toString();
    }

    /** A URL relative to Jenkins' root ({@code job/a/42/}, as {@code Run.getUrl()}) made absolute; else {@code null}. */
    public static String relative(String rootUrl, String path) {
        if (rootUrl == null || rootUrl.isBlank() || path == null || path.isBlank() || path.contains("://")
                || path.startsWith("/")) {
            return null;
        }
        return (rootUrl.endsWith("/") ? rootUrl : rootUrl + "/") + path;
    }

    /** "team/nightly #12", or {@code backupBy} as it is when it names no Jenkins build. */
    public static String label(String backupBy) {
        String[] job = parse(backupBy);
        return job == null ? backupBy : job[0] + " #" + job[1];
    }

    /** {job full name, number}, or {@code null}. */
    private static String[] parse(String backupBy) {
        if (backupBy == null || !backupBy.startsWith(SCHEME)) {
            return null;
        }
        String rest = backupBy.substring(SCHEME.length());
        int hash = rest.lastIndexOf('#');
        if (hash <= 0 || hash == rest.length() - 1) {
            return null;
        }
        String number = rest.substring(hash + 1);
        if (!number.chars().allMatch(Character::isDigit)) {
            return null;
        }
        String name = rest.substring(0, hash);
        if (name.startsWith("/") || name.endsWith("/") || name.contains("//")) {
            return null;
        }
        return new String[] {name, number};
    }
}
