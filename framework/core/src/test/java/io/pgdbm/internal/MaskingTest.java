package io.pgdbm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void passwordLiteralsInSqlAreMaskedWhateverTheCase() {
        assertThat(Masking.truncateSql("CREATE ROLE app LOGIN PASSWORD 'it''s-secret'"))
                .isEqualTo("CREATE ROLE app LOGIN PASSWORD '***'");
        assertThat(Masking.truncateSql("alter role app with password\n  E'x\\'y' VALID UNTIL 'infinity'"))
                .isEqualTo("alter role app with password\n  '***' VALID UNTIL 'infinity'");
        assertThat(Masking.maskPasswordLiterals("SELECT 'password' AS word, password_hash FROM users"))
                .isEqualTo("SELECT 'password' AS word, password_hash FROM users");
        assertThat(Masking.maskPasswordLiterals(null)).isNull();
    }

    @Test
    void longSqlIsShortenedAfterMasking() {
        String sql = "ALTER ROLE a PASSWORD 'secret' " + "x".repeat(600);
        assertThat(Masking.truncateSql(sql))
                .startsWith("ALTER ROLE a PASSWORD '***' ")
                .contains("characters)")
                .doesNotContain("secret");
    }
}
