package com.example.app;

import com.example.billing.Billing;
import com.example.billing.Invoice;
import com.example.orders.Order;
import com.example.orders.Orders;
import com.example.users.User;
import com.example.users.UserException;
import com.example.users.Users;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST API over the three modules and the tenants. */
@RestController
class Api {
    record NewUser(String email, String name) {}

    record NewOrder(Long userId, BigDecimal amount, String description) {}

    record NewInvoice(Long orderId) {}

    record NewTenant(String name) {}

    private final Users users;
    private final Orders orders;
    private final Billing billing;
    private final Tenants tenants;

    Api(Users users, Orders orders, Billing billing, Tenants tenants) {
        this.users = users;
        this.orders = orders;
        this.billing = billing;
        this.tenants = tenants;
    }

    @PostMapping("/users")
    ResponseEntity<User> createUser(@RequestBody NewUser body) {
        User user = users.register(body.email(), body.name());
        return ResponseEntity.created(URI.create("/users/" + user.id())).body(user);
    }

    /** A page of users: {@code ?after=<last id seen>&limit=N} (default 100, at most 500); a full page links the next. */
    @GetMapping("/users")
    ResponseEntity<List<User>> users(
            @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
        return page("/users", users.page(after, pageSize(limit)), limit, User::id);
    }

    @GetMapping("/users/{id}")
    User user(@PathVariable long id) {
        return users.find(id)
                .orElseThrow(() -> new UserException(UserException.Reason.UNKNOWN_USER, "there is no user " + id));
    }

    @PostMapping("/orders")
    ResponseEntity<Order> placeOrder(@RequestBody NewOrder body) {
        Order order = orders.place(required(body.userId(), "userId"), body.amount(), body.description());
        return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
    }

    @GetMapping("/orders")
    ResponseEntity<List<Order>> orders(
            @RequestParam(required = false) Long userId,
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "100") int limit) {
        if (userId != null) {
            return ResponseEntity.ok(orders.forUser(userId));
        }
        return page("/orders", orders.page(after, pageSize(limit)), limit, Order::id);
    }

    // tag::transactional[]
    /** Marks the order invoiced and records the invoice in one Spring transaction, across both modules. */
    @PostMapping("/invoices")
    @Transactional
    public ResponseEntity<Invoice> issueInvoice(@RequestBody NewInvoice body) {
        Invoice invoice = billing.issue(required(body.orderId(), "orderId"));
        return ResponseEntity.created(URI.create("/invoices/" + invoice.id())).body(invoice);
    }
    // end::transactional[]

    @GetMapping("/invoices")
    ResponseEntity<List<Invoice>> invoices(
            @RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "100") int limit) {
        return page("/invoices", billing.page(after, pageSize(limit)), limit, Invoice::id);
    }

    static final int MAX_PAGE = 500;

    private static int pageSize(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + ", not " + limit);
        }
        return limit;
    }

    /** The page, with a {@code Link: <…?after=<last id>&limit=N>; rel="next"} header when it is full. */
    private static <T> ResponseEntity<List<T>> page(
            String path, List<T> rows, int limit, java.util.function.ToLongFunction<T> id) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (rows.size() == limit) {
            long last = id.applyAsLong(rows.get(rows.size() - 1));
            response.header("Link", "<" + path + "?after=" + last + "&limit=" + limit + ">; rel=\"next\"");
        }
        return response.body(rows);
    }

    @PostMapping("/tenants")
    ResponseEntity<Tenants.Tenant> createTenant(@RequestBody NewTenant body) {
        Tenants.Tenant tenant = tenants.create(body.name());
        return ResponseEntity.created(URI.create("/tenants/" + tenant.name())).body(tenant);
    }

    @GetMapping("/tenants")
    List<Tenants.Tenant> tenants() {
        return tenants.list();
    }

    @PostMapping("/tenants/{tenant}/users")
    ResponseEntity<User> createTenantUser(@PathVariable String tenant, @RequestBody NewUser body) {
        User user = tenants.users(tenant).register(body.email(), body.name());
        return ResponseEntity.created(URI.create("/tenants/" + tenant + "/users/" + user.id()))
                .body(user);
    }

    @GetMapping("/tenants/{tenant}/users")
    List<User> tenantUsers(@PathVariable String tenant) {
        return tenants.users(tenant).list();
    }

    private static long required(Long value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
