package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.users.User;
import com.example.users.Users;
import io.pgdbm.testing.DualMode;
import io.pgdbm.testing.DualModeTest;
import java.math.BigDecimal;

class OrdersTest {

    /** The users module as the host would give it to orders in each mode. */
    private static Users users(DualMode mode) {
        return mode.open(Users::new, manager -> new Users(mode.database().pool().manager("users")));
    }

    @DualModeTest(schema = "shop_orders")
    void placesOrdersForKnownUsers(DualMode mode) {
        try (Users users = users(mode);
                Orders orders = mode.open(url -> new Orders(url, users), db -> new Orders(db, users))) {
            User ada = users.register("ada@example.com", "Ada");
            Order order = orders.place(ada.id(), new BigDecimal("42.50"), "a lamp");
            assertThat(order.status()).isEqualTo("placed");
            assertThat(order.amount()).isEqualByComparingTo("42.50");
            assertThat(orders.forUser(ada.id())).containsExactly(order);
            assertThat(orders.find(order.id())).contains(order);
            assertThat(orders.markInvoiced(order.id()).status()).isEqualTo("invoiced");
            assertThat(orders.database().schema()).contains(mode.standalone() ? "orders" : "shop_orders");
        }
    }

    @DualModeTest
    void refusesUnknownUsersAndBadAmounts(DualMode mode) {
        try (Users users = users(mode);
                Orders orders = mode.open(url -> new Orders(url, users), db -> new Orders(db, users))) {
            User ada = users.register("ada@example.com", "Ada");
            assertThatThrownBy(() -> orders.place(404, BigDecimal.TEN, "x"))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.UNKNOWN_USER));
            assertThatThrownBy(() -> orders.place(ada.id(), new BigDecimal("-1"), "x"))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.INVALID_AMOUNT));
            assertThatThrownBy(() -> orders.place(ada.id(), BigDecimal.ZERO, "x"))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.INVALID_AMOUNT));
            Order order = orders.place(ada.id(), BigDecimal.ONE, "once");
            orders.markInvoiced(order.id());
            assertThatThrownBy(() -> orders.markInvoiced(order.id()))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.NOT_INVOICEABLE));
            assertThatThrownBy(() -> orders.markInvoiced(9_999))
                    .isInstanceOfSatisfying(
                            OrderException.class,
                            e -> assertThat(e.reason()).isEqualTo(OrderException.Reason.UNKNOWN_ORDER));
            assertThat(orders.list()).hasSize(1);
        }
    }
}
