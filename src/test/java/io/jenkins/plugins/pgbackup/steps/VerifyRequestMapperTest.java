package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import io.jenkins.plugins.pgbackup.verify.VerifyCheck;
import io.jenkins.plugins.pgbackup.verify.VerifyRecord;
import io.jenkins.plugins.pgbackup.verify.VerifyRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifyRequestMapperTest {

    private TestSettings settings;
    private MapCredentials credentials;

    @BeforeEach
    void configure() {
        settings = new TestSettings();
        settings.connections.add(new DatabaseConnection("drills", "drills.internal", "postgres", "pg-drills"));
        settings.targets.add(new StorageTarget("s3", "backups", "aws"));
        credentials = new MapCredentials().with("pg-drills", "driller", "pw").with("aws", "AKIA", "secret");
    }

    private static VerifyOptions named() {
        VerifyOptions o = new VerifyOptions();
        o.setConnection("drills");
        o.setStorage("s3");
        return o;
    }

    private VerifyPlan map(VerifyOptions o) throws AbortException {
        return VerifyRequestMapper.map(o, settings, credentials, null, "42", "job/drill/42/");
    }

    @Test
    void theRestorePartFollowsPgRestoresRulesAndTheChecksAreParsed() throws AbortException {
        VerifyOptions o = named();
        o.setLatest("app");
        o.setMinRows("public.orders=1000, 'sales.customer': 3\npublic.empty=0");
        o.setSql("select count(*) > 0 from orders\n\n  select true  ");
        o.setNoOwner(true);

        VerifyPlan p = map(o);

        assertEquals("app", p.restore().latestOf());
        assertNull(p.restore().key());
        assertFalse(p.restore().clean());
        assertFalse(p.restore().createDatabase());
        assertTrue(p.restore().noOwner());
        assertEquals("drills.internal:5432/postgres", p.restore().connection().serverKey());
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("public.orders", 1000L);
        rows.put("sales.customer", 3L);
        rows.put("public.empty", 0L);
        assertEquals(rows, p.minRows());
        assertEquals(List.of("select count(*) > 0 from orders", "select true"), p.sql());
        assertNull(p.scratchDatabase());

        VerifyRequest r = VerifyRequestMapper.toRequest(p, List.of(), ":");
        assertEquals("42", r.getBuild());
        assertEquals("job/drill/42/", r.getBuildUrl());
        assertEquals(rows, r.getMinRows());
        assertEquals("app", r.getRestore().getLatestOf());
        assertTrue(r.getRestore().isNoOwner());
        assertFalse(r.getRestore().isCreateDatabase());
    }

    @Test
    void keyOrLatestAndTheConnectionAreRequiredAsForPgRestore() {
        assertThrows(AbortException.class, () -> map(named()));
        VerifyOptions both = named();
        both.setKey("k.dump");
        both.setLatest("app");
        assertThrows(AbortException.class, () -> map(both));
    }

    @Test
    void badMinRowsAndScratchNamesSayWhatIsWrong() {
        for (String bad : List.of("public.orders", "public.orders=many", "=5", "public.orders=-1")) {
            VerifyOptions o = named();
            o.setKey("k.dump");
            o.setMinRows(bad);
            AbortException e = assertThrows(AbortException.class, () -> map(o));
            assertTrue(e.getMessage().contains("TABLE=ROWS"), e.getMessage());
        }
        VerifyOptions o = named();
        o.setKey("k.dump");
        o.setScratchDatabase("x".repeat(64));
        AbortException e = assertThrows(AbortException.class, () -> map(o));
        assertTrue(e.getMessage().contains("scratchDatabase"), e.getMessage());
    }

    @Test
    void pipelineMapsAndListsBecomeTheFormsText() throws AbortException {
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("public.orders", 1000);
        rows.put("sales.customer", 3);
        Object text = VerifyRequestMapper.pipelineArgument("minRows", rows);
        assertEquals("public.orders=1000\nsales.customer=3", text);
        assertEquals(Map.of("public.orders", 1000L, "sales.customer", 3L), VerifyRequestMapper.minRows((String) text));
        assertEquals("select 1 = 1\nselect true", VerifyRequestMapper.pipelineArgument("sql",
                List.of("select 1\n  = 1", "select true")));
        assertEquals("x", VerifyRequestMapper.pipelineArgument("key", "x"));
    }

    @Test
    void theResultMapNamesEveryCheckWithItsOutcome() {
        VerifyRecord record = new VerifyRecord("p/app/app_20261204_101500.dump", "backups", "app", "20261204_101500",
                "db:5432", "pgverify_app_42", "job/x/42/", Instant.EPOCH, Instant.EPOCH.plusMillis(5),
                List.of(VerifyCheck.passed("restore", "ok"), VerifyCheck.failed("sql[1]", "returned false")));

        Map<String, Object> m = ResultMaps.verify(new VerifyOutcome(record, "p/app/app_20261204_101500.dump.verify.json",
                List.of()));

        assertEquals(false, m.get("passed"));
        assertEquals("1 of 2 checks failed: sql[1]", m.get("summary"));
        assertEquals(5L, m.get("durationMillis"));
        assertEquals(List.of(Map.of("name", "restore", "outcome", "passed", "detail", "ok"),
                Map.of("name", "sql[1]", "outcome", "failed", "detail", "returned false")), m.get("checks"));
        assertEquals("p/app/app_20261204_101500.dump.verify.json", m.get("record"));
    }

    @Test
    void aFailedDrillNotifiesWithTheFailedChecks() {
        VerifyRecord record = new VerifyRecord("k.dump", "b", "app", null, "db:5432", "s", null, Instant.EPOCH,
                Instant.EPOCH, List.of(VerifyCheck.failed("tables", "public.orders is missing")));

        var n = Notifications.verify(record, "drill #1", null);

        assertFalse(n.success());
        assertEquals("1 of 1 checks failed: tables", n.errorMessage());
        assertEquals("tables: public.orders is missing", n.stderrTail());
    }
}
