package io.jenkins.plugins.pgbackup.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatsTest {

    @Test
    void sizesInReadableUnits() {
        assertEquals("512 B", Formats.bytes(512));
        assertEquals("1.0 KB", Formats.bytes(1024));
        assertEquals("931.2 MB", Formats.bytes(976_433_971L));
        assertEquals("2.0 TB", Formats.bytes(2L << 40));
    }

    @Test
    void durationsInReadableUnits() {
        assertEquals("850 ms", Formats.duration(850));
        assertEquals("12.4 s", Formats.duration(12_400));
        assertEquals("3 min 5 s", Formats.duration(185_000));
        assertEquals("1 h 2 min", Formats.duration(3_720_000));
    }
}
