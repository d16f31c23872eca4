package com.example.orders;

import static com.example.orders.db.Tables.ORDERS;

import com.example.orders.db.OrdersModule;
import com.example.orders.db.enums.OrderStatus;
import com.example.users.Users;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.jooq.Record;

/**
 * The orders module: a dual-mode library that depends on the users module. It asks the {@link Users} API
 * whether a user exists instead of holding a foreign key into another module's schema, which it cannot name
 * before run time.
 */
public final class Orders implements AutoCloseable {
    private final DatabaseManager db;
    private final Users users;

    /** Standalone: a pool of its own, schema {@code orders}. */
    public Orders(String databaseUrl, Users users) {
        this(
                DatabaseManager.connect(DatabaseConfig.builder()
                        .url(databaseUrl)
                        .schema("orders")
                        .maxConnections(4)
                        .build()),
                users);
    }

    /** Library mode: the host's manager. */
    public Orders(DatabaseManager db, Users users) {
        this.db = db.forModule(OrdersModule.INSTANCE);
        this.users = users;
        MigrationManager.of(this.db, OrdersModule.INSTANCE).applyPending();
    }

    /** Places an order for an existing user; the amount must be positive. */
    public Order place(long userId, BigDecimal amount, String description) {
        if (amount == null || amount.signum() <= 0) {
            throw new OrderException(OrderException.Reason.INVALID_AMOUNT, "amount (" + amount + ") must be positive");
        }
        if (description == null || description.isBlank()) {
            throw new OrderException(OrderException.Reason.INVALID_DESCRIPTION, "an order needs a description");
        }
        if (!users.exists(userId)) {
            throw new OrderException(OrderException.Reason.UNKNOWN_USER, "there is no user " + userId);
        }
        return toOrder(db.dsl()
                .insertInto(ORDERS)
                .set(ORDERS.USER_ID, userId)
                .set(ORDERS.AMOUNT, amount)
                .set(ORDERS.DESCRIPTION, description.strip())
                .returning()
                .fetchOne());
    }

    public Optional<Order> find(long id) {
        return db.dsl()
                .selectFrom(ORDERS)
                .where(ORDERS.ID.eq(id))
                .fetchOptional()
                .map(Orders::toOrder);
    }

    public List<Order> list() {
        return db.dsl().selectFrom(ORDERS).orderBy(ORDERS.ID).fetch(Orders::toOrder);
    }

    /** Up to {@code limit} orders with ids above {@code after}, by id. */
    public List<Order> page(long after, int limit) {
        return db.dsl()
                .selectFrom(ORDERS)
                .where(ORDERS.ID.gt(after))
                .orderBy(ORDERS.ID)
                .limit(limit)
                .fetch(Orders::toOrder);
    }

    public List<Order> forUser(long userId) {
        return db.dsl()
                .selectFrom(ORDERS)
                .where(ORDERS.USER_ID.eq(userId))
                .orderBy(ORDERS.ID)
                .fetch(Orders::toOrder);
    }

    /**
     * Marks a placed order invoiced and returns it; fails for an unknown order or one that is not placed.
     * Atomic: two concurrent calls cannot both succeed.
     */
    public Order markInvoiced(long id) {
        return db.dsl()
                .update(ORDERS)
                .set(ORDERS.STATUS, OrderStatus.invoiced)
                .where(ORDERS.ID.eq(id).and(ORDERS.STATUS.eq(OrderStatus.placed)))
                .returning()
                .fetchOptional()
                .map(Orders::toOrder)
                .orElseThrow(() -> find(id).isPresent()
                        ? new OrderException(
                                OrderException.Reason.NOT_INVOICEABLE, "order " + id + " is not open for invoicing")
                        : new OrderException(OrderException.Reason.UNKNOWN_ORDER, "there is no order " + id));
    }

    private static Order toOrder(Record row) {
        return new Order(
                row.get(ORDERS.ID),
                row.get(ORDERS.USER_ID),
                row.get(ORDERS.DESCRIPTION),
                row.get(ORDERS.AMOUNT),
                row.get(ORDERS.STATUS).getLiteral(),
                row.get(ORDERS.PLACED_AT));
    }

    public DatabaseManager database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
