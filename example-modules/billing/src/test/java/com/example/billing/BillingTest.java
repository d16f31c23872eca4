package com.example.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.Order;
import com.example.orders.OrderException;
import com.example.orders.Orders;
import com.example.users.User;
import com.example.users.Users;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.DualMode;
import io.pgdbm.testing.DualModeTest;
import java.math.BigDecimal;

class BillingTest {

    @DualModeTest(schema = "finance")
    void invoicesOrdersOnce(DualMode mode) {
        SharedPool host = mode.database().pool();
        try (Users users = mode.open(Users::new, m -> new Users(host.manager("users")));
                Orders orders =
                        mode.open(url -> new Orders(url, users), m -> new Orders(host.manager("orders"), users));
                Billing billing = mode.open(url -> new Billing(url, orders), db -> new Billing(db, orders))) {
            User ada = users.register("ada@example.com", "Ada");
            Order order = orders.place(ada.id(), new BigDecimal("99.90"), "a desk");
            Invoice invoice = billing.issue(order.id());
            assertThat(invoice.number()).isEqualTo("INV-000001");
            assertThat(invoice.amount()).isEqualByComparingTo("99.90");
            assertThat(invoice.userId()).isEqualTo(ada.id());
            assertThat(orders.find(order.id()).orElseThrow().status()).isEqualTo("invoiced");
            assertThatThrownBy(() -> billing.issue(order.id()))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.NOT_INVOICEABLE));
            assertThatThrownBy(() -> billing.issue(12_345))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.UNKNOWN_ORDER));
            assertThat(billing.list()).containsExactly(invoice);
            assertThat(billing.database().schema()).contains(mode.standalone() ? "billing" : "finance");
        }
    }
}
