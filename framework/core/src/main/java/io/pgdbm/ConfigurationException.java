package io.pgdbm;

import org.jspecify.annotations.Nullable;

/** A setting is missing or invalid. The message names the property and the rule it broke. */
public class ConfigurationException extends PgdbmException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(ErrorCode.CONFIGURATION, message);
    }

    public ConfigurationException(String message, @Nullable Throwable cause) {
        super(ErrorCode.CONFIGURATION, message, cause);
    }
}
