package dev.outflow.sink.task;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import dev.outflow.sink.config.ParquetSinkConfig;
import dev.outflow.sink.format.Codecs;

/** The per-file settings every {@link TopicPartitionWriter} of a task shares. */
record WriterSettings(CompressionCodecName codec, int rowGroupBytes, int pageBytes, int flushSize,
        long rotateSizeBytes, long rotateIntervalMs, long maxOpenMs) {

    static WriterSettings from(ParquetSinkConfig config) {
        return new WriterSettings(Codecs.codec(config.codec()), config.parquetBlockSize(), config.parquetPageSize(),
                config.flushSize(), config.rotateSizeBytes(), config.rotateIntervalMs(),
                config.rotateScheduleIntervalMs());
    }
}
