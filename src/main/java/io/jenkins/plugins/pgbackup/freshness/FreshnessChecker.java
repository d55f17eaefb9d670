package io.jenkins.plugins.pgbackup.freshness;

import io.jenkins.plugins.pgbackup.catalog.TargetListing;
import io.jenkins.plugins.pgbackup.notify.Notification;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One freshness check: each storage target named by a rule is read once, every rule judged, and each change of state
 * announced once. A state is recorded only once its message was delivered (or there is nowhere to deliver it), so a
 * Discord outage delays the message to a later check instead of losing it; repeated checks in the same state send
 * nothing. Checks by one instance never overlap; callers that create a checker per check serialise them themselves.
 */
public final class FreshnessChecker {
    private static final Logger LOGGER = Logger.getLogger(FreshnessChecker.class.getName());

    /** Reads a storage target by name. */
    @FunctionalInterface
    public interface TargetReader {
        /** The target's listing (failed, never thrown, when storage fails); {@code null} if no such target. */
        TargetListing read(String target) throws InterruptedException;
    }

    /** Delivers a message. */
    @FunctionalInterface
    public interface AlarmSink {
        /** Whether it was delivered, or needs no delivery (no webhook configured). */
        boolean deliver(Notification notification);
    }

    private final TargetReader reader;
    private final AlarmStateFile states;
    private final AlarmSink sink;
    private final Clock clock;
    private final String pageUrl;
    private final String pageName;

    /**
     * @param pageUrl the backups page for the messages' link; may be {@code null}
     * @param pageName how that link reads
     */
    public FreshnessChecker(TargetReader reader, AlarmStateFile states, AlarmSink sink, Clock clock, String pageUrl,
            String pageName) {
        this.reader = reader;
        this.states = states;
        this.sink = sink;
        this.clock = clock;
        this.pageUrl = pageUrl;
        this.pageName = pageName;
    }

    public CheckReport check(List<FreshnessRule> rules) throws InterruptedException, IOException {
        synchronized (states) {
            Instant now = clock.instant();
            Map<String, TargetListing> listings = readTargets(rules);
            AlarmTracker tracker = new AlarmTracker(states.load());
            Set<String> connections = new HashSet<>();
            List<FreshnessStatus> statuses = new ArrayList<>();
            List<AlarmTransition> announced = new ArrayList<>();
            List<AlarmTransition> undelivered = new ArrayList<>();
            for (FreshnessRule rule : rules) {
                connections.add(rule.connection());
                FreshnessStatus status = FreshnessEvaluator.evaluate(rule, listings.get(rule.target()), now);
                statuses.add(status);
                Optional<AlarmTransition> t = tracker.transition(status);
                if (t.isPresent() && !sink.deliver(AlarmNotifications.of(t.get(), pageUrl, pageName))) {
                    undelivered.add(t.get());
                    LOGGER.log(Level.WARNING, "The freshness message for {0} was not delivered; retrying at the "
                            + "next check", rule.connection());
                    continue;
                }
                t.ifPresent(announced::add);
                tracker.record(status);
            }
            tracker.retainOnly(connections);
            states.save(tracker.snapshot());
            return new CheckReport(now, statuses, announced, undelivered, listings);
        }
    }

    private Map<String, TargetListing> readTargets(List<FreshnessRule> rules) throws InterruptedException {
        Map<String, TargetListing> listings = new LinkedHashMap<>();
        for (FreshnessRule rule : rules) {
            if (!listings.containsKey(rule.target())) {
                listings.put(rule.target(), reader.read(rule.target()));
            }
        }
        return listings;
    }

    /**
     * What a check found.
     *
     * @param statuses every rule's verdict, in rule order
     * @param announced transitions whose message was delivered (or needed none)
     * @param undelivered transitions to announce again at the next check
     * @param listings each target read, by name ({@code null} value: no such target)
     */
    public record CheckReport(Instant checkedAt, List<FreshnessStatus> statuses, List<AlarmTransition> announced,
            List<AlarmTransition> undelivered, Map<String, TargetListing> listings) {
        public CheckReport {
            statuses = List.copyOf(statuses);
            announced = List.copyOf(announced);
            undelivered = List.copyOf(undelivered);
            // a null value (no such target) is meaningful, which Map.copyOf refuses
            listings = Collections.unmodifiableMap(new LinkedHashMap<>(listings));
        }

        /** Rules in an alarm state now. */
        public List<FreshnessStatus> alarms() {
            return statuses.stream().filter(s -> s.state().isAlarm()).toList();
        }

        /** Rules whose state is unknown now (storage unreadable). */
        public List<FreshnessStatus> unknown() {
            return statuses.stream().filter(s -> s.state() == FreshnessState.UNKNOWN).toList();
        }
    }
}
