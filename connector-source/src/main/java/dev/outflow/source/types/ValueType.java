package dev.outflow.source.types;

import java.sql.ResultSet;
import java.util.function.Function;

import org.apache.kafka.connect.data.Schema;

/**
 * How values of one PostgreSQL type become Connect values: the Connect schema, how a value is read from the
 * type's PostgreSQL text form (inside an array, range or composite literal), and how a column of the type is read
 * from a JDBC result.
 *
 * @param schema   the Connect schema, optional or not
 * @param decoder  text form to Connect value
 * @param reader   the JDBC column reader for a column with the given schema
 * @param unmapped the qualified name of a type without a rule somewhere in this type (it travels as text), or null
 */
record ValueType(Function<Boolean, Schema> schema, TextDecoder decoder, Function<Schema, ColumnReader> reader,
        String unmapped) {

    /** Reads one value from its PostgreSQL text form into a value of {@code schema}. */
    @FunctionalInterface
    interface TextDecoder {
        Object decode(String text, Schema schema);
    }

    /** A type whose columns are read as text and decoded like its elements are. */
    static ValueType fromText(Function<Boolean, Schema> schema, TextDecoder decoder) {
        return new ValueType(schema, decoder, textReader(decoder), null);
    }

    /** A type whose columns are read with a typed JDBC getter (exact in pgjdbc's text and binary transfer). */
    static ValueType typed(Function<Boolean, Schema> schema, TextDecoder decoder, ColumnReader reader) {
        return new ValueType(schema, decoder, s -> reader, null);
    }

    static Function<Schema, ColumnReader> textReader(TextDecoder decoder) {
        return s -> (ResultSet rs, int i) -> {
            String text = rs.getString(i);
            return text == null ? null : decoder.decode(text, s);
        };
    }

    ValueType withUnmapped(String typeName) {
        return new ValueType(schema, decoder, reader, typeName);
    }
}
