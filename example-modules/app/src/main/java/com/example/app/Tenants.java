package com.example.app;

import com.example.users.Users;
import io.pgdbm.DatabaseManager;
import io.pgdbm.SharedPool;
import io.pgdbm.migrations.ProvisioningReport;
import io.pgdbm.migrations.SchemaProvisioner;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Schema per tenant: each tenant gets a schema {@code tenant_<name>} with the users module's migrations, and
 * its requests use the users module on a manager for that schema. The registry lives in the app's own
 * {@code platform} module.
 */
@Service
public class Tenants {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    /** A tenant and its schema. */
    public record Tenant(String name, String schema, OffsetDateTime createdAt) {}

    private final SharedPool pool;
    private final DatabaseManager platform;
    private final Map<String, Users> users = new ConcurrentHashMap<>();

    Tenants(SharedPool pool, @Qualifier("platform") DatabaseManager platform) {
        this.pool = pool;
        this.platform = platform;
    }

    /** Provisions a tenant's schema; an existing tenant or a bad name is refused. */
    public Tenant create(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new TenantException(
                    TenantException.Reason.INVALID_NAME,
                    "tenant name '" + name
                            + "' must be 1 to 40 lower-case letters, digits or underscores, starting with a letter");
        }
        if (find(name).isPresent()) {
            throw new TenantException(TenantException.Reason.DUPLICATE, "tenant " + name + " exists");
        }
        String schema = "tenant_" + name;
        ProvisioningReport report =
                SchemaProvisioner.of(pool, "classpath:db/users", "users").provision(List.of(schema));
        if (!report.allSucceeded()) {
            throw report.failed().get(schema);
        }
        return platform.fetchOne(
                        Tenant.class,
                        "INSERT INTO {{tables.tenants}} (name, schema_name) VALUES ($1, $2)"
                                + " ON CONFLICT (name) DO NOTHING RETURNING name, schema_name AS schema, created_at",
                        name,
                        schema)
                .orElseThrow(() -> new TenantException(TenantException.Reason.DUPLICATE, "tenant " + name + " exists"));
    }

    public Optional<Tenant> find(String name) {
        return platform.fetchOne(
                Tenant.class,
                "SELECT name, schema_name AS schema, created_at FROM {{tables.tenants}} WHERE name = $1",
                name);
    }

    public List<Tenant> list() {
        return platform.fetchAll(
                Tenant.class, "SELECT name, schema_name AS schema, created_at FROM {{tables.tenants}} ORDER BY name");
    }

    /** The users module of a tenant, in its schema. */
    public Users users(String name) {
        Tenant tenant = find(name)
                .orElseThrow(() -> new TenantException(TenantException.Reason.UNKNOWN, "there is no tenant " + name));
        return users.computeIfAbsent(tenant.schema(), schema -> new Users(pool.manager(schema)));
    }
}
