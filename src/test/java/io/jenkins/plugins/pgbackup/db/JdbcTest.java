package io.jenkins.plugins.pgbackup.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JdbcTest {

    @Test
    void encodesAnyDatabaseNameInTheUrl() {
        ConnectionSpec spec = new ConnectionSpec("db.example", 5433, "my db/ä?x=1", "u", "p");
        assertEquals("jdbc:postgresql://db.example:5433/my%20db%2F%C3%A4%3Fx%3D1", Jdbc.url(spec));
    }

    @Test
    void bracketsIpv6Hosts() {
        assertEquals("jdbc:postgresql://[::1]:5432/x", Jdbc.url(new ConnectionSpec("::1", 5432, "x", "u", "p")));
    }

    @Test
    void quotesIdentifiers() {
        assertEquals("\"a\"\"b\"", Jdbc.quoteIdentifier("a\"b"));
    }
}
