package @package@;

import java.time.OffsetDateTime;

/** One item of the @name@ module. */
public record Item(long id, String name, OffsetDateTime createdAt) {}
