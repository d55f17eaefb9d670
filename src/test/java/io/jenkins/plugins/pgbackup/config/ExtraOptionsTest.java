package io.jenkins.plugins.pgbackup.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtraOptionsTest {

    @Test
    void splitsLikeAShellWithoutOne() {
        assertEquals(List.of("--exclude-table-data=audit.*", "--no-comments", "-n", "my schema", "-T", "a\"b"),
                ExtraOptions.parse("--exclude-table-data='audit.*'  --no-comments -n \"my schema\" -T 'a\"b'"));
    }

    @Test
    void blankIsNoOptions() {
        assertEquals(List.of(), ExtraOptions.parse(null));
        assertEquals(List.of(), ExtraOptions.parse("  \n "));
    }

    @ParameterizedTest
    @CsvSource({
        "--file=/tmp/x, --file",
        "--format c, --format",
        "--compress=9, --compress",
        "-Fc, -F",
        "-Z9, -Z",
        "-j 4, -j",
        "-h other, -h",
        "--password, --password",
        "-vW, -W",
        "-U postgres, -U"
    })
    void refusesWhatThePluginSetsItself(String text, String option) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExtraOptions.parse(text));
        assertEquals(Messages.Validation_ExtraOptionReserved(option), e.getMessage());
    }

    @Test
    void theArgumentOfAShortOptionIsNotReadAsOptions() {
        // -t takes a table pattern: "fZ" is its argument, not -f and -Z
        assertEquals(List.of("-tfZ"), ExtraOptions.parse("-tfZ"));
    }

    @Test
    void wordsMustBeOptionsOrTheirValues() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExtraOptions.parse("--no-owner stray"));
        assertEquals(Messages.Validation_ExtraOptionNotOption("stray"), e.getMessage());
        assertEquals(List.of("-n", "public", "--schema=audit"), ExtraOptions.parse("-n public --schema=audit"));
        assertEquals(Messages.Validation_ExtraOptionNotOption("public"),
                assertThrows(IllegalArgumentException.class, () -> ExtraOptions.parse("--schema public")).getMessage());
    }

    @Test
    void anOpenQuoteIsAnError() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ExtraOptions.parse("--exclude-table='audit"));
        assertEquals(Messages.Validation_ExtraOptionsQuote(), e.getMessage());
    }
}
