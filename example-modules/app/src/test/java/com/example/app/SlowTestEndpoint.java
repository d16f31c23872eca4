package com.example.app;

import io.pgdbm.SharedPool;
import java.util.concurrent.CountDownLatch;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A test-only endpoint whose request holds the database for a second: a request in flight at shutdown. */
@RestController
class SlowTestEndpoint {
    static volatile CountDownLatch started = new CountDownLatch(1);

    private final SharedPool pool;

    SlowTestEndpoint(SharedPool pool) {
        this.pool = pool;
    }

    @GetMapping("/test-slow")
    String slow() {
        started.countDown();
        return "slept " + pool.manager().fetchValue(String.class, "SELECT 'ok' FROM pg_sleep(1)");
    }
}
