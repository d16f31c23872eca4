package com.example.users;

import java.time.OffsetDateTime;

/** A user account. */
public record User(long id, String email, String name, OffsetDateTime createdAt) {}
