package dev.outflow.source.task;

import dev.outflow.source.config.PostgresSourceConfig;

/** The task-wide settings every table reader uses. */
record ReadOptions(int pageSize, long pollIntervalMs, long timestampDelayMs, long openTransactionWaitMaxMs,
        String dbTimezone, boolean watermarkRecordTimestamp) {

    static ReadOptions of(PostgresSourceConfig config) {
        return new ReadOptions(config.batchMaxRows(), config.pollIntervalMs(), config.timestampDelayMs(),
                config.openTransactionWaitMaxMs(), config.dbTimezone(), config.watermarkRecordTimestamp());
    }
}
