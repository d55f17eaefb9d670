package io.jenkins.plugins.pgbackup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preparing what pg_dumpall --globals-only wrote for a server that already has some of it. */
class GlobalsScriptTest {
    /** As pg_dumpall 18 writes it (trimmed), with names and a comment that need careful reading. */
    private static final String SCRIPT = String.join("\n",
            "--",
            "-- PostgreSQL database cluster dump",
            "--",
            "",
            "\\restrict abc123",
            "",
            "SET default_transaction_read_only = off;",
            "",
            "SET client_encoding = 'UTF8';",
            "SET standard_conforming_strings = on;",
            "",
            "--",
            "-- Roles",
            "--",
            "",
            "CREATE ROLE app_owner;",
            "ALTER ROLE app_owner WITH NOSUPERUSER INHERIT LOGIN PASSWORD 'SCRAM-SHA-256$4096:c2FsdA==$a:b';",
            "COMMENT ON ROLE app_owner IS 'owns the app;",
            "CREATE ROLE not_a_statement;';",
            "CREATE ROLE postgres;",
            "ALTER ROLE postgres WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS "
                    + "PASSWORD 'SCRAM-SHA-256$4096:other';",
            "CREATE ROLE \"Report \"\"Reader\"\"\";",
            "ALTER ROLE \"Report \"\"Reader\"\"\" WITH NOLOGIN;",
            "",
            "--",
            "-- User Configurations",
            "--",
            "",
            "ALTER ROLE app_owner SET search_path TO 'app', 'public';",
            "ALTER ROLE postgres SET work_mem TO '64MB';",
            "",
            "--",
            "-- Role memberships",
            "--",
            "",
            "GRANT \"Report \"\"Reader\"\"\" TO app_owner WITH INHERIT TRUE GRANTED BY postgres;",
            "",
            "--",
            "-- Tablespaces",
            "--",
            "",
            "CREATE TABLESPACE fast OWNER postgres LOCATION '/mnt/fast';",
            "GRANT ALL ON TABLESPACE fast TO app_owner;",
            "CREATE TABLESPACE archive OWNER postgres LOCATION '/mnt/archive';",
            "",
            "\\unrestrict abc123",
            "",
            "--",
            "-- PostgreSQL database cluster dump complete",
            "--",
            "");

    @Test
    void everyStatementIsFoundWithTheRoleOrTablespaceItIsAbout() {
        List<GlobalsScript.Statement> statements = GlobalsScript.split(SCRIPT);
        assertEquals(SCRIPT, String.join("", statements.stream().map(GlobalsScript.Statement::text).toList()),
                "nothing is lost or reordered");
        List<String> roles = statements.stream().filter(s -> s.subject() != null && s.subject().role())
                .map(s -> s.subject().name()).distinct().toList();
        assertEquals(List.of("app_owner", "postgres", "Report \"Reader\""), roles);
        assertTrue(statements.stream().noneMatch(s -> s.subject() != null
                && s.subject().name().equals("not_a_statement")), "text inside a string literal is no statement");
        assertTrue(statements.stream().anyMatch(s -> s.text().strip().equals("\\restrict abc123")));
    }

    @Test
    void statementsAboutRolesAndTablespacesTheTargetHasAreLeftOutAndReported() {
        GlobalsScript.Prepared p = GlobalsScript.parse(SCRIPT).prepare(Set.of("postgres", "pg_monitor"),
                Set.of("pg_default", "pg_global", "fast"));

        assertEquals(List.of("app_owner", "Report \"Reader\""), p.createdRoles());
        assertEquals(List.of("postgres"), p.keptRoles());
        assertEquals(List.of("archive"), p.createdTablespaces());
        assertEquals(List.of("fast"), p.keptTablespaces());
        assertEquals(5, p.skippedStatements(), "postgres: CREATE, ALTER, SET; fast: CREATE, GRANT");
        String script = p.script();
        assertFalse(script.contains("CREATE ROLE postgres;"), script);
        assertFalse(script.contains("SCRAM-SHA-256$4096:other"), "the target's superuser keeps its password");
        assertFalse(script.contains("work_mem"), script);
        assertFalse(script.contains("LOCATION '/mnt/fast'"), script);
        assertTrue(script.contains("CREATE ROLE app_owner;\n"), script);
        assertTrue(script.contains("COMMENT ON ROLE app_owner IS 'owns the app;\nCREATE ROLE not_a_statement;';"));
        assertTrue(script.contains("GRANT \"Report \"\"Reader\"\"\" TO app_owner"), "memberships always run");
        assertTrue(script.contains("\\restrict abc123\n") && script.contains("\\unrestrict abc123\n"));
        assertTrue(script.contains("-- left out: the target already has role postgres"), script);
        assertFalse(p.transactional(), "CREATE TABLESPACE cannot run in a transaction block");
    }

    @Test
    void withoutTablespacesToCreateTheGlobalsRunInOneTransaction() {
        GlobalsScript.Prepared p = GlobalsScript.parse(SCRIPT).prepare(Set.of("postgres"), Set.of("fast", "archive"));
        assertTrue(p.transactional());
        assertEquals(List.of(), p.createdTablespaces());
    }

    @Test
    void passwordHashesAreFoundForMasking() {
        assertEquals(List.of("SCRAM-SHA-256$4096:c2FsdA==$a:b", "SCRAM-SHA-256$4096:other"),
                GlobalsScript.passwords(SCRIPT));
        assertEquals(List.of("it's"), GlobalsScript.passwords("ALTER ROLE a WITH LOGIN PASSWORD 'it''s';"));
    }

    @Test
    void subjectsAreReadFromEveryFormPgDumpallWrites() {
        assertEquals(new GlobalsScript.Subject(true, "a", true), GlobalsScript.subjectOf("CREATE ROLE a;"));
        assertEquals(new GlobalsScript.Subject(true, "Mixed", false),
                GlobalsScript.subjectOf("ALTER ROLE \"Mixed\" SET x TO 1;"));
        assertEquals(new GlobalsScript.Subject(true, "a", false),
                GlobalsScript.subjectOf("SECURITY LABEL FOR selinux ON ROLE a IS 'x';"));
        assertEquals(new GlobalsScript.Subject(false, "t", false),
                GlobalsScript.subjectOf("COMMENT ON TABLESPACE t IS 'x';"));
        assertEquals(new GlobalsScript.Subject(false, "t", false),
                GlobalsScript.subjectOf("REVOKE ALL ON TABLESPACE t FROM PUBLIC;"));
        assertNull(GlobalsScript.subjectOf("GRANT a TO b;"));
        assertNull(GlobalsScript.subjectOf("GRANT SET ON PARAMETER work_mem TO a;"));
        assertNull(GlobalsScript.subjectOf("SET client_encoding = 'UTF8';"));
    }

    @Test
    void aMissingRoleFailureAdvisesGlobalsOrNoOwner() {
        RestoreException failed = new RestoreException("pg_restore failed with exit code 1: pg_restore: error: could "
                + "not execute query: ERROR:  role \"app_owner\" does not exist", "ERROR:  role \"app_owner\" does "
                + "not exist", true, null);

        RestoreException withGlobals = RestoreEngine.withOwnerAdvice(failed, true);
        assertTrue(withGlobals.getMessage().contains("restore with restoreGlobals"), withGlobals.getMessage());
        assertTrue(withGlobals.getMessage().contains("noOwner"), withGlobals.getMessage());
        assertTrue(withGlobals.isTargetTouched());
        RestoreException without = RestoreEngine.withOwnerAdvice(failed, false);
        assertTrue(without.getMessage().contains("take backups with includeGlobals"), without.getMessage());
        assertTrue(without.getMessage().contains("noOwner"), without.getMessage());

        RestoreException other = new RestoreException("pg_restore failed: disk full", "disk full", true, null);
        assertSame(other, RestoreEngine.withOwnerAdvice(other, true));
    }
}
