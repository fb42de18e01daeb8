package dev.outflow.sink.format;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Decides when a record written with one schema can go into a file of another, so that a table that gained an
 * optional column keeps one stream of files with the newest schema instead of a new file at every flip between
 * old and new producers (the "small file storm" users of other sinks report).
 */
public final class SchemaProjection {

    private SchemaProjection() {
    }

    /**
     * True when every value of {@code from} fits {@code to}: same name, every field of {@code from} is in
     * {@code to} with an equal schema, and every field only {@code to} has is optional.
     */
    public static boolean canProject(Schema from, Schema to) {
        if (from == to || from.equals(to)) {
            return true;
        }
        if (from.type() != Schema.Type.STRUCT || to.type() != Schema.Type.STRUCT
                || !java.util.Objects.equals(from.name(), to.name())) {
            return false;
        }
        for (Field f : from.fields()) {
            Field target = to.field(f.name());
            if (target == null || !target.schema().equals(f.schema())) {
                return false;
            }
        }
        for (Field t : to.fields()) {
            if (from.field(t.name()) == null && !t.schema().isOptional()) {
                return false;
            }
        }
        return true;
    }

    /** The value re-expressed in {@code to}; fields {@code value} lacks are null. */
    public static Struct project(Struct value, Schema to) {
        if (value.schema() == to || value.schema().equals(to)) {
            return value;
        }
        Struct out = new Struct(to);
        for (Field f : value.schema().fields()) {
            out.put(f.name(), value.get(f));
        }
        return out;
    }
}
