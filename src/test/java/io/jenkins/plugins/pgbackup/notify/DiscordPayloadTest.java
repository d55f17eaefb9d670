package io.jenkins.plugins.pgbackup.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DiscordPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-28T03:00:00Z");

    static Notification.Builder backup(boolean success) {
        return Notification.builder(Notification.Kind.BACKUP, success).database("app").serverVersion("17.6")
                .toolVersion("17.6 (Debian 17.6-1.pgdg12+1)").format("custom").compression("zstd:3")
                .sizeBytes(1_610_612_736L).duration(Duration.ofSeconds(3723)).objectKey("backups/app/2026-11-28.dump")
                .sha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .buildUrl("https://ci.example.com/job/nightly/42/").buildName("nightly #42").prunedCount(3);
    }

    static JsonNode payload(Notification n) throws Exception {
        return JSON.readTree(DiscordPayload.json(n, NOW));
    }

    static Map<String, String> fields(JsonNode embed) {
        Map<String, String> m = new HashMap<>();
        embed.path("fields").forEach(f -> m.put(f.path("name").asText(), f.path("value").asText()));
        return m;
    }

    @Test
    void successCarriesEveryFactInOneGreenEmbedLinkedToTheBuild() throws Exception {
        JsonNode p = payload(backup(true).build());
        assertEquals("PostgreSQL backup of app succeeded", p.path("content").asText());
        assertEquals(1, p.path("embeds").size());
        JsonNode e = p.path("embeds").get(0);
        assertEquals("Backup succeeded: app", e.path("title").asText());
        assertEquals(DiscordPayload.COLOR_SUCCESS, e.path("color").asInt());
        assertEquals("https://ci.example.com/job/nightly/42/", e.path("url").asText());
        assertTrue(e.path("description").isMissingNode(), "no error text on success");
        assertEquals("2026-11-28T03:00:00Z", e.path("timestamp").asText());
        Map<String, String> f = fields(e);
        assertEquals("`app`", f.get("Database"));
        assertEquals("17.6", f.get("Server"));
        assertEquals("17.6 (Debian 17.6-1.pgdg12+1)", f.get("pg_dump"));
        assertEquals("custom", f.get("Format"));
        assertEquals("zstd:3", f.get("Compression"));
        assertEquals("1.5 GiB (1,610,612,736 bytes)", f.get("Size"));
        assertEquals("1 h 2 min 3 s", f.get("Duration"));
        assertEquals("3", f.get("Old backups pruned"));
        assertEquals("`backups/app/2026-11-28.dump`", f.get("Object key"));
        assertEquals("`9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08`", f.get("SHA-256"));
        assertEquals("[nightly #42](https://ci.example.com/job/nightly/42/)", f.get("Jenkins build").replace("\\#", "#"));
        assertEquals(List.of(), DiscordLimits.violations(p));
    }

    @Test
    void failureIsRedAndShowsTheErrorAndTheEndOfStderr() throws Exception {
        Notification n = backup(false).errorMessage("pg_dump exited with code 1")
                .stderrTail("pg_dump: error: connection failed\npg_dump: detail: FATAL: password authentication failed")
                .build();
        JsonNode e = payload(n).path("embeds").get(0);
        assertEquals("Backup FAILED: app", e.path("title").asText());
        assertEquals(DiscordPayload.COLOR_FAILURE, e.path("color").asInt());
        String d = e.path("description").asText();
        assertTrue(d.startsWith("**Error:** pg\\_dump exited with code 1"), d);
        assertTrue(d.contains("```\npg_dump: error: connection failed\npg_dump: detail: FATAL: password authentication "
                + "failed\n```"), d);
    }

    @Test
    void restoreNamesItsOwnTool() throws Exception {
        Notification n = Notification.builder(Notification.Kind.RESTORE, false).database("app").toolName("psql")
                .toolVersion("16.10").stderrTail("psql: error: x").build();
        JsonNode e = payload(n).path("embeds").get(0);
        assertEquals("Restore FAILED: app", e.path("title").asText());
        assertEquals("16.10", fields(e).get("psql"));
        assertTrue(e.path("description").asText().contains("**psql stderr (last lines):**"));
    }

    @Test
    void sixtyKilobytesOfStderrAreCutToTheirTailWithinEveryLimit() throws Exception {
        String stderr = IntStream.range(0, 1300).mapToObj(i -> String.format("pg_dump: line %04d of noise %s", i,
                "x".repeat(20))).collect(Collectors.joining("\n")) + "\npg_dump: error: the real cause is here";
        assertTrue(stderr.length() > 60_000);
        JsonNode p = payload(backup(false).errorMessage("pg_dump exited with code 1").stderrTail(stderr).build());
        assertEquals(List.of(), DiscordLimits.violations(p));
        String d = p.path("embeds").get(0).path("description").asText();
        assertTrue(d.endsWith("pg_dump: error: the real cause is here\n```"), "keeps the tail: " + d.substring(d.length() - 80));
        assertFalse(d.contains("line 0000"), "drops the head");
        assertTrue(d.contains("```\n" + DiscordPayload.ELLIPSIS + "\npg_dump: line"), "cut at a line start, marked");
        assertTrue(d.length() > 3000, "uses the room it has: " + d.length());
    }

    @Test
    void everyFieldOversizedStillFitsEveryLimit() throws Exception {
        String huge = "\u00e9\ud83d\ude00".repeat(5000);
        Notification n = Notification.builder(Notification.Kind.BACKUP, false).database(huge).serverVersion(huge)
                .toolVersion(huge).format(huge).compression(huge).sizeBytes(Long.MAX_VALUE)
                .duration(Duration.ofDays(400)).objectKey(huge).sha256(huge).buildName(huge)
                .buildUrl("https://ci.example.com/" + "a".repeat(1500)).errorMessage(huge).stderrTail(huge)
                .prunedCount(Integer.MAX_VALUE).build();
        JsonNode p = payload(n);
        assertEquals(List.of(), DiscordLimits.violations(p));
        assertTrue(p.path("embeds").get(0).path("description").asText().length() > 100, "the error is still shown");
    }

    @Test
    void stderrCannotCloseTheCodeBlock() throws Exception {
        String hostile = "before\n```\n**bold** @everyone\n```` more\nend";
        String d = payload(backup(false).stderrTail(hostile).build()).path("embeds").get(0).path("description").asText();
        int fences = d.split("```", -1).length - 1;
        assertEquals(2, fences, "only the block's own fences: " + d);
        assertTrue(d.contains("@everyone"), "text kept");
    }

    @Test
    void mentionsInTheTextNeverPing() throws Exception {
        JsonNode p = payload(backup(false).database("@everyone").errorMessage("<@&123> @here").build());
        assertTrue(p.path("allowed_mentions").path("parse").isArray());
        assertEquals(0, p.path("allowed_mentions").path("parse").size());
    }

    @Test
    void aBuildUrlDiscordWouldRejectIsLeftOut() throws Exception {
        for (String bad : new String[] {"javascript:alert(1)", "not a url", "/job/x/1/", "ftp://host/x"}) {
            JsonNode e = payload(backup(true).buildUrl(bad).build()).path("embeds").get(0);
            assertTrue(e.path("url").isMissingNode(), bad);
            assertFalse(fields(e).getOrDefault("Jenkins build", "").contains("]("), bad);
        }
    }

    @Test
    void cutNeverSplitsASurrogatePair() {
        String s = "ab\ud83d\ude00cd";
        assertEquals("ab" + DiscordPayload.ELLIPSIS, DiscordPayload.cut(s, 4));
        assertEquals("ab\ud83d\ude00" + DiscordPayload.ELLIPSIS, DiscordPayload.cut(s, 5));
        assertEquals(s, DiscordPayload.cut(s, 6));
        String tail = DiscordPayload.keepTail("x".repeat(100) + "\ud83d\ude00" + "y".repeat(10), 13);
        assertFalse(Character.isLowSurrogate(tail.charAt(2)), tail);
        assertTrue(tail.length() <= 13);
    }

    @Test
    void sizesAndDurationsReadNaturally() {
        assertEquals("512 bytes", DiscordPayload.size(512));
        assertEquals("1.0 KiB (1,024 bytes)", DiscordPayload.size(1024));
        assertEquals("12.3 s", DiscordPayload.duration(Duration.ofMillis(12_300)));
        assertEquals("2 min 5 s", DiscordPayload.duration(Duration.ofSeconds(125)));
    }

    @Test
    void optionalFactsThatAreMissingLeaveNoEmptyField() throws Exception {
        JsonNode p = payload(Notification.builder(Notification.Kind.RESTORE, true).build());
        assertEquals(List.of(), DiscordLimits.violations(p));
        assertEquals(0, p.path("embeds").get(0).path("fields").size());
        assertEquals("Restore succeeded", p.path("embeds").get(0).path("title").asText());
    }
}
