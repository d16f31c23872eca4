package io.pgdbm.monitoring;

/**
 * The size of one table.
 *
 * @param schema the schema
 * @param table the table
 * @param estimatedRows the planner's estimate (exact after ANALYZE)
 * @param totalBytes table, indexes and TOAST
 * @param tableBytes the table alone
 * @param indexBytes its indexes
 */
public record TableSize(
        String schema, String table, long estimatedRows, long totalBytes, long tableBytes, long indexBytes) {}
