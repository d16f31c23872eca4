package @package@;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.testing.DualMode;
import io.pgdbm.testing.DualModeTest;

class @Name@Test {

    @DualModeTest(schema = "host_@name@")
    void addsFindsAndListsItems(DualMode mode) {
        try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new)) {
            Item first = @name@.add("first");
            @name@.add("second");
            assertThat(@name@.find(first.id())).contains(first);
            assertThat(@name@.findByName("second")).isPresent();
            assertThat(@name@.list()).extracting(Item::name).containsExactly("first", "second");
            assertThat(@name@.database().schema()).contains(mode.standalone() ? "@name@" : "host_@name@");
        }
    }

    @DualModeTest
    void refusesAnEmptyName(DualMode mode) {
        try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new)) {
            assertThatThrownBy(() -> @name@.add(" ")).isInstanceOf(IllegalArgumentException.class);
            assertThat(@name@.list()).isEmpty();
        }
    }

    @DualModeTest
    void appliesItsOwnMigrationsOnceInBothModes(DualMode mode) {
        try (@Name@ @name@ = mode.open(@Name@::new, @Name@::new)) {
            assertThat(@name@.database().tableExists("@name@_schema_history")).isTrue();
        }
        try (@Name@ again = mode.open(@Name@::new, @Name@::new)) {
            assertThat(again.list()).isEmpty();
        }
    }
}
