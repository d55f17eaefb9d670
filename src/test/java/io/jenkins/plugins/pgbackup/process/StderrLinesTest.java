package io.jenkins.plugins.pgbackup.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StderrLinesTest {

    @Test
    void theFirstErrorWinsOverTheOnesThatFollowFromIt() {
        String stderr = """
                pg_restore: while PROCESSING TOC:
                pg_restore: error: could not execute query: ERROR:  relation "t" already exists
                Command was: CREATE TABLE public.t (id integer);
                pg_restore: error: could not execute query: ERROR:  current transaction is aborted
                pg_restore: warning: errors ignored on restore: 2
                """;
        assertEquals("pg_restore: error: could not execute query: ERROR:  relation \"t\" already exists",
                StderrLines.telling(stderr));
    }

    @Test
    void fatalCountsInAnyCaseAndTheLineIsStripped() {
        assertEquals("psql: FATAL:  password authentication failed for user \"app\"",
                StderrLines.firstError("notice\n  psql: FATAL:  password authentication failed for user \"app\"  \n"));
        assertEquals("pg_dump: fatal: something", StderrLines.firstError("pg_dump: fatal: something"));
    }

    @Test
    void aPgDumpErrorIsFollowedByItsDetailWhichIsNotPicked() {
        String stderr = "pg_dump: error: aborting because of server version mismatch\n"
                + "pg_dump: detail: server version: 17.2; pg_dump version: 15.10\n";
        assertEquals("pg_dump: error: aborting because of server version mismatch", StderrLines.telling(stderr));
    }

    @Test
    void withoutAnErrorTheLastLineThatSaysSomethingIsTelling() {
        assertNull(StderrLines.firstError("one\ntwo\n"));
        assertEquals("killed by signal 9", StderrLines.telling("starting\n  killed by signal 9  \n\n"));
    }

    @Test
    void nothingAtAllIsSaidSo() {
        assertEquals(StderrLines.NO_OUTPUT, StderrLines.telling(""));
        assertEquals(StderrLines.NO_OUTPUT, StderrLines.telling("  \n \n"));
        assertEquals(StderrLines.NO_OUTPUT, StderrLines.telling(null));
        assertNull(StderrLines.firstError(null));
    }
}
