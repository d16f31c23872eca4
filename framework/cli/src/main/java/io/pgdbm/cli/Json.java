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
