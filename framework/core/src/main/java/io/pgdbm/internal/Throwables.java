package io.pgdbm.internal;

/** Rethrowing what user code threw, whatever it is, without wrapping it. */
final class Throwables {
    private Throwables() {}

    /**
     * Throws {@code failure} unchanged, checked or not: work written in Kotlin, Groovy, Scala or with
     * Lombok's {@code @SneakyThrows} can throw checked exceptions through interfaces that declare none, and
     * the caller must get exactly that exception back. Declared to return an exception so that callers can
     * write {@code throw Throwables.rethrow(e)}.
     */
    static RuntimeException rethrow(Throwable failure) {
        throw Throwables.<RuntimeException>sneaky(failure);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }
}
