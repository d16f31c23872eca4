package com.example.orders;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** An order placed by a user. {@code status} is placed, invoiced or cancelled. */
public record Order(
        long id, long userId, String description, BigDecimal amount, String status, OffsetDateTime placedAt) {}
