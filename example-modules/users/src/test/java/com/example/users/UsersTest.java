package com.example.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.testing.DualMode;
import io.pgdbm.testing.DualModeTest;

class UsersTest {

    @DualModeTest(schema = "team_users")
    void registersFindsAndListsUsers(DualMode mode) {
        try (Users users = mode.open(Users::new, Users::new)) {
            User ada = users.register("ada@example.com", "Ada");
            User bob = users.register("bob@example.com", "Bob");
            assertThat(ada.id()).isPositive();
            assertThat(ada.createdAt()).isNotNull();
            assertThat(users.find(ada.id())).contains(ada);
            assertThat(users.findByEmail("ADA@example.com")).contains(ada);
            assertThat(users.exists(bob.id())).isTrue();
            assertThat(users.exists(999_999)).isFalse();
            assertThat(users.list()).extracting(User::email).containsExactly("ada@example.com", "bob@example.com");
            assertThat(users.database().schema()).contains(mode.standalone() ? "users" : "team_users");
        }
    }

    @DualModeTest
    void refusesInvalidInput(DualMode mode) {
        try (Users users = mode.open(Users::new, Users::new)) {
            users.register("taken@example.com", "First");
            assertThatThrownBy(() -> users.register("not-an-email", "X"))
                    .isInstanceOfSatisfying(
                            UserException.class,
                            e -> assertThat(e.reason()).isEqualTo(UserException.Reason.INVALID_EMAIL));
            assertThatThrownBy(() -> users.register("TAKEN@example.com", "Second"))
                    .isInstanceOfSatisfying(
                            UserException.class,
                            e -> assertThat(e.reason()).isEqualTo(UserException.Reason.DUPLICATE_EMAIL));
            assertThatThrownBy(() -> users.register("x@example.com", " "))
                    .isInstanceOfSatisfying(
                            UserException.class,
                            e -> assertThat(e.reason()).isEqualTo(UserException.Reason.INVALID_NAME));
            assertThat(users.list()).hasSize(1);
        }
    }

    @DualModeTest
    void runsItsOwnMigrationsInBothModes(DualMode mode) {
        try (Users users = mode.open(Users::new, Users::new)) {
            assertThat(users.database().tableExists("users_schema_history")).isTrue();
        }
        // a second construction finds the module up to date
        try (Users again = mode.open(Users::new, Users::new)) {
            assertThat(again.list()).isEmpty();
        }
    }
}
