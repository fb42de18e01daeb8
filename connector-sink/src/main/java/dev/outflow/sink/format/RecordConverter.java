package dev.outflow.sink.format;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Struct;

/**
 * Converts Connect structs of one schema to Avro records of the schema {@link AvroSchemas} made for it. The work
 * that depends only on the schemas (which logical type a field has, its Avro type, decimal scales, field
 * positions) is done once, when the converter is built: converting a value then runs a tree of small
 * {@link ValueConverters} nodes, with no schema walk, map lookup or name comparison per value. The sink converts
 * every record it writes, so this is on its hottest path.
 *
 * <p>While converting, it also adds up an estimate of the bytes the record occupies once buffered by a Parquet
 * writer (4 bytes plus the length of a string or byte array, 8 per number or boolean, 1 per null, 4 per list or
 * map plus its elements), so the task's memory estimate costs no second walk of the value.
 *
 * <p>Not thread-safe (the estimate of the last record is kept in the converter): each task has its own
 * {@link AvroSchemas}, and so its own converters.
 */
public final class RecordConverter {

    private final Schema avroSchema;
    private final ValueConverters.Node root;
    private final ValueConverters.Size size = new ValueConverters.Size();

    RecordConverter(org.apache.kafka.connect.data.Schema connectSchema, Schema avroSchema) {
        this.avroSchema = avroSchema;
        this.root = ValueConverters.build(connectSchema, avroSchema);
    }

    /** The Avro record schema this converter writes (the file's schema). */
    public Schema avroSchema() {
        return avroSchema;
    }

    /**
     * The Avro record for a struct of this converter's Connect schema.
     *
     * @throws org.apache.kafka.connect.errors.DataException when a value does not fit (a null in a required field,
     *     a decimal that does not fit its precision or scale), naming the field
     */
    public GenericData.Record convert(Struct struct) {
        size.bytes = 0;
        return (GenericData.Record) root.convert(struct, size);
    }

    /** Estimated bytes the record last returned by {@link #convert} occupies in a Parquet writer's buffers. */
    public long lastSizeBytes() {
        return size.bytes;
    }
}
