package com.example.billing;

import static com.example.billing.db.Tables.INVOICES;

import com.example.billing.db.BillingModule;
import com.example.orders.Order;
import com.example.orders.Orders;
import io.pgdbm.DatabaseConfig;
import io.pgdbm.DatabaseManager;
import io.pgdbm.migrations.MigrationManager;
import java.util.List;
import java.util.Optional;

/** The billing module: a dual-mode library that invoices orders through the {@link Orders} API. */
public final class Billing implements AutoCloseable {
    private final DatabaseManager db;
    private final Orders orders;

    /** Standalone: a pool of its own, schema {@code billing}. */
    public Billing(String databaseUrl, Orders orders) {
        this(
                DatabaseManager.connect(DatabaseConfig.builder()
                        .url(databaseUrl)
                        .schema("billing")
                        .maxConnections(4)
                        .build()),
                orders);
    }

    /** Library mode: the host's manager. */
    public Billing(DatabaseManager db, Orders orders) {
        this.db = db.forModule(BillingModule.INSTANCE);
        this.orders = orders;
        MigrationManager.of(this.db, BillingModule.INSTANCE).applyPending();
    }

    /**
     * Invoices an order: marks it invoiced in the orders module, then records the invoice. An unknown order or
     * one already invoiced fails with the orders module's {@code OrderException}.
     */
    public Invoice issue(long orderId) {
        Order order = orders.markInvoiced(orderId);
        return db.dsl()
                .insertInto(INVOICES)
                .set(INVOICES.ORDER_ID, order.id())
                .set(INVOICES.USER_ID, order.userId())
                .set(INVOICES.AMOUNT, order.amount())
                .returning()
                .fetchOne()
                .into(Invoice.class);
    }

    public Optional<Invoice> find(long id) {
        return db.dsl().selectFrom(INVOICES).where(INVOICES.ID.eq(id)).fetchOptionalInto(Invoice.class);
    }

    public List<Invoice> list() {
        return db.dsl().selectFrom(INVOICES).orderBy(INVOICES.ID).fetchInto(Invoice.class);
    }

    /** Up to {@code limit} invoices with ids above {@code after}, by id. */
    public List<Invoice> page(long after, int limit) {
        return db.dsl()
                .selectFrom(INVOICES)
                .where(INVOICES.ID.gt(after))
                .orderBy(INVOICES.ID)
                .limit(limit)
                .fetchInto(Invoice.class);
    }

    public DatabaseManager database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
