package com.example.catalog;

// tag::tests[]
import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.testing.DualMode;
import io.pgdbm.testing.DualModeTest;
import io.pgdbm.testing.PgdbmTest;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

@PgdbmTest // each test gets a fresh database (an embedded PostgreSQL unless PGDBM_TEST_URL is set)
class CatalogTest {
    @Test
    void twoTenantsOnOnePoolSeeOnlyTheirOwnItems(SharedPool pool) {
        Catalog shopA = new Catalog(pool.manager("shop_a")); // schemas other than the module's name
        Catalog shopB = new Catalog(pool.manager("shop_b"));
        shopA.add("lamp", new BigDecimal("20"));
        shopB.add("desk", new BigDecimal("90"));
        shopB.add("pen", new BigDecimal("2"));

        assertThat(shopA.namesCheaperThan(new BigDecimal("100"))).containsExactly("lamp");
        assertThat(shopB.namesCheaperThan(new BigDecimal("100"))).containsExactly("desk", "pen");
        DatabaseManager plain = pool.manager("shop_b");
        assertThat(plain.fetchValue(Long.class, "SELECT count(*) FROM {{tables.items}}")).isEqualTo(2);
        assertThat(plain.tableExists("catalog_schema_history")).isTrue();
    }

    @DualModeTest // twice: standalone (a URL) and library (a host's manager)
    void worksStandaloneAndAsALibrary(DualMode mode) {
        try (Catalog catalog = mode.open(Catalog::new, Catalog::new)) {
            catalog.add("lamp", new BigDecimal("20"));
            assertThat(catalog.namesCheaperThan(new BigDecimal("50"))).containsExactly("lamp");
        }
    }
}
// end::tests[]
