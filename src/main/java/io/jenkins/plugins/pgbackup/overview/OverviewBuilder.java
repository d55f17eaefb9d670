package io.jenkins.plugins.pgbackup.overview;

import io.jenkins.plugins.pgbackup.action.Formats;
import io.jenkins.plugins.pgbackup.catalog.BuildLinks;
import io.jenkins.plugins.pgbackup.catalog.DatabaseBackups;
import io.jenkins.plugins.pgbackup.catalog.RestoreSnippets;
import io.jenkins.plugins.pgbackup.catalog.TargetListing;
import io.jenkins.plugins.pgbackup.catalog.LastVerify;
import io.jenkins.plugins.pgbackup.freshness.Ages;
import io.jenkins.plugins.pgbackup.freshness.FreshnessChecker;
import io.jenkins.plugins.pgbackup.freshness.FreshnessEvaluator;
import io.jenkins.plugins.pgbackup.freshness.FreshnessRule;
import io.jenkins.plugins.pgbackup.freshness.FreshnessState;
import io.jenkins.plugins.pgbackup.freshness.FreshnessStatus;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.BackupObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the backups page's model: reads every target (in parallel, so a slow one does not add to the others; a
 * failing one becomes an error line of its own), then one row per database folder, plus a row for every watched
 * database without any backup there. Freshness is judged against the listing just read, so the page is never behind
 * the storage it shows.
 */
public final class OverviewBuilder {
    /** Targets read at once. */
    static final int READERS = 4;

    private final FreshnessChecker.TargetReader reader;
    private final List<FreshnessRule> rules;
    private final String rootUrl;
    private final Clock clock;

    /**
     * @param rules the configured maximum ages (for the freshness column)
     * @param rootUrl Jenkins' root URL for build links; may be {@code null}
     */
    public OverviewBuilder(FreshnessChecker.TargetReader reader, List<FreshnessRule> rules, String rootUrl,
            Clock clock) {
        this.reader = reader;
        this.rules = List.copyOf(rules);
        this.rootUrl = rootUrl;
        this.clock = clock;
    }

    /** Reads the targets, in this order on the page. */
    public BackupsOverview build(List<String> targets) throws InterruptedException {
        long start = System.nanoTime();
        Map<String, TargetListing> listings = readAll(targets);
        Instant now = clock.instant();
        List<TargetView> views = new ArrayList<>();
        listings.forEach((name, listing) -> views.add(view(name, listing, now)));
        return new BackupsOverview(now, Duration.ofNanos(System.nanoTime() - start).toMillis(), views);
    }

    private Map<String, TargetListing> readAll(List<String> targets) throws InterruptedException {
        Map<String, TargetListing> result = new LinkedHashMap<>();
        if (targets.isEmpty()) {
            return result;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READERS, targets.size()), r -> {
            Thread t = new Thread(r, "pgbackup-overview-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<TargetListing>> futures = new LinkedHashMap<>();
            for (String t : targets) {
                futures.put(t, pool.submit(() -> reader.read(t)));
            }
            for (Map.Entry<String, Future<TargetListing>> f : futures.entrySet()) {
                result.put(f.getKey(), get(f.getKey(), f.getValue()));
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private TargetListing get(String target, Future<TargetListing> f) throws InterruptedException {
        try {
            TargetListing l = f.get();
            return l != null ? l : TargetListing.failed(null, clock.instant(), "no storage target named '" + target
                    + "' is configured");
        } catch (ExecutionException e) {
            return TargetListing.failed(null, clock.instant(), String.valueOf(e.getCause()));
        }
    }

    private TargetView view(String target, TargetListing listing, Instant now) {
        if (listing.isFailed()) {
            return new TargetView(target, listing.getLocation(), listing.getError(), List.of());
        }
        Map<String, BackupRow> rows = new LinkedHashMap<>();
        listing.getByFolder().forEach((folder, db) -> rows.put(folder, row(target, db, now)));
        for (FreshnessRule rule : rules) {
            if (rule.target().equals(target)) {
                BackupRow row = rows.computeIfAbsent(rule.folder(), f -> emptyRow(rule));
                applyFreshness(row, FreshnessEvaluator.evaluate(rule, listing, now));
            }
        }
        List<BackupRow> sorted = new ArrayList<>(rows.values());
        sorted.sort((a, b) -> a.folder.compareTo(b.folder));
        return new TargetView(target, listing.getLocation(), null, sorted);
    }

    private BackupRow row(String target, DatabaseBackups db, Instant now) {
        BackupRow r = new BackupRow();
        r.database = db.getDatabase();
        r.folder = db.getFolder();
        r.stored = db.getStored();
        r.problem = db.getProblem();
        BackupObject b = db.getNewest();
        if (b != null) {
            BackupMetadata m = b.getMetadata();
            r.key = b.getKey();
            r.madeAt = m.getTimestamp().toString();
            r.madeAtExact = TimeTexts.exact(m.getTimestamp());
            r.age = TimeTexts.age(m.getTimestamp(), now);
            r.sizeBytes = m.getSize() >= 0 ? m.getSize() : b.getContentLength();
            r.sizeText = bytes(r.sizeBytes);
            r.postgresVersion = m.getPostgresVersion();
            r.serverVersion = m.getServerVersion();
            r.format = m.getDumpFormat();
            r.compression = m.getCompression();
            r.sha256 = m.getSha256();
            r.backupBy = m.getBackupBy();
            r.buildUrl = BuildLinks.url(rootUrl, m.getBackupBy());
            r.buildLabel = BuildLinks.label(m.getBackupBy());
            r.restoreSnippet = RestoreSnippets.pgRestore(target, b.getKey());
            applyVerify(r, db.getLastVerify(), now);
        }
        return r;
    }

    private static BackupRow emptyRow(FreshnessRule rule) {
        BackupRow r = new BackupRow();
        r.database = rule.database();
        r.folder = rule.folder();
        return r;
    }

    private void applyVerify(BackupRow r, LastVerify v, Instant now) {
        if (v == null) {
            return;
        }
        r.verifyState = v.passed() ? "PASSED" : "FAILED";
        r.verifySummary = v.summary();
        r.verifyAge = TimeTexts.age(v.finished(), now);
        r.verifyAtExact = TimeTexts.exact(v.finished());
        String at = v.finished() == null ? null : v.finished().toString();
        r.verifyText = v.summary() == null ? at : at == null ? v.summary() : v.summary() + ", " + at;
        r.verifyUrl = BuildLinks.relative(rootUrl, v.build());
    }

    /** Several connections may watch one database: the worst verdict shows. */
    private static void applyFreshness(BackupRow r, FreshnessStatus s) {
        FreshnessState current = r.freshness.equals("NOT_WATCHED") ? null : FreshnessState.valueOf(r.freshness);
        if (current == null || rank(s.state()) > rank(current)) {
            r.freshness = s.state().name();
            r.freshnessDetail = "connection '" + s.rule().connection() + "', at most "
                    + Ages.describe(s.rule().maxAge()) + ": " + s.detail();
        }
    }

    private static int rank(FreshnessState s) {
        return switch (s) {
            case FRESH -> 0;
            case UNKNOWN -> 1;
            case STALE -> 2;
            case MISSING -> 3;
        };
    }

    /** As on the build page ({@link Formats#bytes}); {@code null} for an unknown size. */
    static String bytes(long bytes) {
        return bytes < 0 ? null : Formats.bytes(bytes);
    }
}
