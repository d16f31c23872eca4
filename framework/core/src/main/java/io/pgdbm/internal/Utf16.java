package io.pgdbm.internal;

/**
 * Java strings are UTF-16 and may hold half of a surrogate pair (a string cut in the middle of an emoji).
 * UTF-8, PostgreSQL's encoding, cannot represent that, and the JDBC driver would silently store {@code ?}
 * in its place: such text is refused, in every verb, before it is sent.
 */
final class Utf16 {
    private Utf16() {}

    /** The index of the first surrogate without its partner, or -1 when every surrogate is paired. */
    static int unpairedSurrogate(CharSequence text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Why {@code text} cannot be sent, for a message; it never shows the text itself. */
    static String problem(CharSequence text, int index) {
        return "contains an unpaired UTF-16 surrogate (U+" + String.format("%04X", (int) text.charAt(index))
                + " at index " + index + "), which UTF-8 cannot encode: the string was probably cut in the middle of"
                + " a character such as an emoji";
    }
}
