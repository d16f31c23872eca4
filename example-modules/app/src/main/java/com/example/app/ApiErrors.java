package com.example.app;

import com.example.orders.OrderException;
import com.example.users.UserException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the modules' refusals into RFC 9457 problem details: 400 for bad input, 404 for an unknown resource in
 * the path, 409 for a conflict, 422 for a body that refers to something that does not exist. The module's
 * reason travels in the {@code reason} property.
 */
@RestControllerAdvice
class ApiErrors {

    @ExceptionHandler(UserException.class)
    ProblemDetail users(UserException e) {
        return problem(
                switch (e.reason()) {
                    case INVALID_EMAIL, INVALID_NAME -> HttpStatus.BAD_REQUEST;
                    case DUPLICATE_EMAIL -> HttpStatus.CONFLICT;
                    case UNKNOWN_USER -> HttpStatus.NOT_FOUND;
                },
                e.getMessage(),
                e.reason().name());
    }

    @ExceptionHandler(OrderException.class)
    ProblemDetail orders(OrderException e) {
        return problem(
                switch (e.reason()) {
                    case INVALID_AMOUNT, INVALID_DESCRIPTION -> HttpStatus.BAD_REQUEST;
                    case UNKNOWN_USER, UNKNOWN_ORDER -> HttpStatus.UNPROCESSABLE_CONTENT;
                    case NOT_INVOICEABLE -> HttpStatus.CONFLICT;
                },
                e.getMessage(),
                e.reason().name());
    }

    @ExceptionHandler(TenantException.class)
    ProblemDetail tenants(TenantException e) {
        return problem(
                switch (e.reason()) {
                    case INVALID_NAME -> HttpStatus.BAD_REQUEST;
                    case DUPLICATE -> HttpStatus.CONFLICT;
                    case UNKNOWN -> HttpStatus.NOT_FOUND;
                },
                e.getMessage(),
                e.reason().name());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badInput(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage(), "INVALID_INPUT");
    }

    private static ProblemDetail problem(HttpStatus status, String detail, String reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("reason", reason);
        return problem;
    }
}
