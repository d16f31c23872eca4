package io.pgdbm.internal.migrations;

import io.pgdbm.internal.ForwardingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The connections Flyway migrates one schema with, handed out with that schema first on their {@code
 * search_path} — the path Flyway would set itself before every migration ({@code "<schema>",<the path it
 * found>}). Flyway then finds the schema already current and skips, per migration, the existence query and the
 * {@code set_config} it would send (two round trips of each file's bookkeeping) for one round trip per
 * connection. The pool's session guard sees the change and resets the connection when Flyway gives it back,
 * as it does after Flyway's own changes. A schema whose name {@code SHOW search_path} prints quoted (upper case,
 * unusual characters) gains nothing: Flyway compares unquoted names and sets the path itself, as before.
 */
final class SchemaFirstDataSource extends ForwardingDataSource {
    private static final String PREPEND =
            "SELECT set_config('search_path', CASE WHEN current_setting('search_path') = ''"
                    + " THEN quote_ident(?) ELSE quote_ident(?) || ', ' || current_setting('search_path') END, false)";

    private final String schema;

    SchemaFirstDataSource(DataSource target, String schema) {
        super(target);
        this.schema = schema;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return schemaFirst(target.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return schemaFirst(target.getConnection(username, password));
    }

    private Connection schemaFirst(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PREPEND)) {
            statement.setString(1, schema);
            statement.setString(2, schema);
            statement.execute();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return connection;
    }
}
