package io.jenkins.plugins.pgbackup.config;

/**
 * The outcome of validating one field, in plain Java so the rules run in unit tests; descriptors turn it into a
 * {@code FormValidation} and data-bound setters into an exception.
 *
 * @param kind how bad it is
 * @param message what to tell the user, or {@code null} when there is nothing to say
 */
public record FieldCheck(Kind kind, String message) {

    public enum Kind {
        OK, WARNING, ERROR
    }

    private static final FieldCheck OK = new FieldCheck(Kind.OK, null);

    public static FieldCheck ok() {
        return OK;
    }

    public static FieldCheck ok(String message) {
        return new FieldCheck(Kind.OK, message);
    }

    public static FieldCheck warning(String message) {
        return new FieldCheck(Kind.WARNING, message);
    }

    public static FieldCheck error(String message) {
        return new FieldCheck(Kind.ERROR, message);
    }

    public boolean isError() {
        return kind == Kind.ERROR;
    }

    /**
     * For setters: a value that the form would flag as an error must not be stored either.
     *
     * @throws IllegalArgumentException with the message, when this is an error
     */
    public void throwIfError() {
        if (isError()) {
            throw new IllegalArgumentException(message);
        }
    }
}
