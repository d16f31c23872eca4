package io.pgdbm.spring;

import io.pgdbm.ConnectionException;
import io.pgdbm.IdentifierException;
import io.pgdbm.PgdbmException;
import io.pgdbm.QueryException;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * pgdbm's failures as RFC 9457 problem details, for a request that let one escape: a lost connection, a busy
 * pool, a server shutting down, a statement timeout or a serialization failure are {@code 503} with
 * {@code Retry-After} (trying again is the cure); a unique or foreign-key violation is {@code 409}; a value the
 * column refuses (bad format, out of range, too long, null, a failed check) is {@code 400}; anything else is
 * {@code 500}. Bodies never carry SQL, parameters or server messages (the log does). Applies to pgdbm's
 * exceptions and to jOOQ's {@code DataAccessException} from {@code dsl()}. The application's own exception
 * handlers come first; {@code pgdbm.web.problem-details.enabled=false} turns this off.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class PgdbmProblemDetails {
    private static final Logger LOG = LoggerFactory.getLogger(PgdbmProblemDetails.class);

    private final Duration retryAfter;

    public PgdbmProblemDetails(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    @ExceptionHandler({PgdbmException.class, org.jooq.exception.DataAccessException.class})
    public ResponseEntity<ProblemDetail> handle(RuntimeException failure) {
        Problem problem = classify(failure);
        if (problem.status().is5xxServerError()) {
            LOG.warn("Request failed on the database: {}", failure.getMessage(), failure);
        } else {
            LOG.debug("Request refused by the database: {}", failure.getMessage());
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.detail());
        body.setTitle(problem.title());
        body.setProperty("reason", problem.type());
        problem.sqlState().ifPresent(state -> body.setProperty("sqlState", state));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status());
        if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response.body(body);
    }

    /** What a failure means to an HTTP client. */
    record Problem(HttpStatus status, String type, String title, String detail, java.util.Optional<String> sqlState) {}

    static Problem classify(Throwable failure) {
        String state = sqlState(failure);
        java.util.Optional<String> shown = java.util.Optional.ofNullable(state);
        if (failure instanceof ConnectionException || isTransient(state)) {
            return new Problem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "database-unavailable",
                    "Database unavailable",
                    "The database could not serve this request just now; try again shortly.",
                    shown);
        }
        if (state == null) {
            if (failure instanceof IdentifierException) {
                return badRequest("A name in this request is not a valid identifier.", shown);
            }
            return serverError(shown);
        }
        if (state.equals("23505")) {
            return new Problem(
                    HttpStatus.CONFLICT, "duplicate", "Conflict", "A record with the same unique value exists.", shown);
        }
        if (state.equals("23503")) {
            return new Problem(
                    HttpStatus.CONFLICT,
                    "reference",
                    "Conflict",
                    "The request refers to a record that does not exist, or removes one that others refer to.",
                    shown);
        }
        if (state.startsWith("22") || state.equals("23502") || state.equals("23514") || state.equals("23P01")) {
            return badRequest("A value in this request does not fit what the database accepts.", shown);
        }
        return serverError(shown);
    }

    private static Problem badRequest(String detail, java.util.Optional<String> state) {
        return new Problem(HttpStatus.BAD_REQUEST, "invalid-value", "Bad request", detail, state);
    }

    private static Problem serverError(java.util.Optional<String> state) {
        return new Problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "database-error",
                "Database error",
                "The request failed on the database.",
                state);
    }

    /**
     * Connection lost or refused (class 08), the server shutting down or restarting (57P01–57P03), too many
     * connections (53300), a statement cancelled by its timeout (57014), a serialization failure or deadlock
     * (40001, 40P01): the same request may well succeed if sent again.
     */
    private static boolean isTransient(String state) {
        return state != null
                && (state.startsWith("08")
                        || state.equals("57P01")
                        || state.equals("57P02")
                        || state.equals("57P03")
                        || state.equals("53300")
                        || state.equals("57014")
                        || state.equals("40001")
                        || state.equals("40P01"));
    }

    private static @Nullable String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof QueryException query && query.sqlState().isPresent()) {
                return query.sqlState().get();
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
