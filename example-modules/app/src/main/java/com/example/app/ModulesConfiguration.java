package com.example.app;

import com.example.billing.Billing;
import com.example.orders.Orders;
import com.example.users.Users;
import io.pgdbm.DatabaseManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The modules as libraries, each handed the manager the pgdbm starter made for it (library mode: the app owns
 * the pool; each module runs in its own schema and owns its migrations).
 */
// tag::modules[]
@Configuration(proxyBeanMethods = false)
class ModulesConfiguration {

    @Bean
    Users users(@Qualifier("users") DatabaseManager db) {
        return new Users(db);
    }

    @Bean
    Orders orders(@Qualifier("orders") DatabaseManager db, Users users) {
        return new Orders(db, users);
    }

    @Bean
    Billing billing(@Qualifier("billing") DatabaseManager db, Orders orders) {
        return new Billing(db, orders);
    }
}
// end::modules[]
