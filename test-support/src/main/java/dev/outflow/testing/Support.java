package dev.outflow.testing;

/** Small helpers shared by the servers here (package-private: not part of the API). */
final class Support {

    private Support() {
    }

    /** Sleeps; an interrupt is restored and turned into an exception, since test helpers cannot carry on. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** A query's scalar result as a long, failing clearly when it is not a number. */
    static long asLong(Object value, String sql) {
        if (!(value instanceof Number)) {
            throw new IllegalStateException("Expected a number from " + sql + " but got " + value);
        }
        return ((Number) value).longValue();
    }
}
