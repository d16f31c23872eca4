package io.pgdbm.cli;

import io.pgdbm.migrations.MigrationInfo;
import io.pgdbm.migrations.MigrationStatus;
import java.util.List;
import java.util.Locale;

/**
 * The JSON of {@code migrate status --json}. A handful of strings and numbers: written here rather than
 * adding a JSON library to the CLI's class path.
 */
final class Json {
    private Json() {}

    static String status(List<MigrationStatus> modules) {
        StringBuilder out = new StringBuilder("{\"modules\": [");
        for (int m = 0; m < modules.size(); m++) {
            MigrationStatus status = modules.get(m);
            out.append(m == 0 ? "\n  " : ",\n  ")
                    .append("{\"module\": ")
                    .append(string(status.module()))
                    .append(", \"schema\": ")
                    .append(string(status.schema()))
                    .append(", \"historyTable\": ")
                    .append(string(status.historyTable()))
                    .append(", \"applied\": ")
                    .append(status.applied().size())
                    .append(", \"pending\": ")
                    .append(status.pending().size())
                    .append(", \"migrations\": [");
            List<MigrationInfo> migrations = status.migrations();
            for (int i = 0; i < migrations.size(); i++) {
                MigrationInfo info = migrations.get(i);
                out.append(i == 0 ? "\n    " : ",\n    ")
                        .append("{\"file\": ")
                        .append(string(info.file()))
                        .append(", \"version\": ")
                        .append(info.version().map(Json::string).orElse("null"))
                        .append(", \"state\": ")
                        .append(string(info.state().name().toLowerCase(Locale.ROOT)))
                        .append(", \"appliedAt\": ")
                        .append(info.appliedAt()
                                .map(at -> string(at.toString()))
                                .orElse("null"))
                        .append('}');
            }
            out.append(migrations.isEmpty() ? "]}" : "\n  ]}");
        }
        return out.append(modules.isEmpty() ? "]}" : "\n]}").toString();
    }

    /** {@code pgdbm tenants status --json}: each schema's state and the files behind it. */
    static String drift(io.pgdbm.migrations.DriftReport report) {
        StringBuilder out = new StringBuilder("{\"module\": ")
                .append(string(report.module()))
                .append(", \"tenants\": [");
        for (int t = 0; t < report.tenants().size(); t++) {
            io.pgdbm.migrations.DriftReport.Tenant tenant = report.tenants().get(t);
            out.append(t == 0 ? "\n  " : ",\n  ")
                    .append("{\"schema\": ")
                    .append(string(tenant.schema()))
                    .append(", \"state\": ")
                    .append(string(tenant.state().name().toLowerCase(Locale.ROOT)))
                    .append(", \"behind\": ")
                    .append(strings(tenant.behind()))
                    .append(", \"ahead\": ")
                    .append(strings(tenant.ahead()))
                    .append(", \"changed\": ")
                    .append(strings(tenant.changed()))
                    .append(", \"failed\": ")
                    .append(strings(tenant.failed()))
                    .append(tenant.problem().isEmpty() ? "" : ", \"problem\": " + string(tenant.problem()))
                    .append('}');
        }
        return out.append(report.tenants().isEmpty() ? "]}" : "\n]}").toString();
    }

    private static String strings(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(string(values.get(i)));
        }
        return out.append(']').toString();
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
