package dev.outflow.bench;

import java.math.BigDecimal;
import java.util.Random;
import java.util.UUID;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * The benchmark row: the 11-column {@code bench_orders} shape shared by the source and sink benchmarks, as the
 * source connector would emit it.
 */
final class BenchRows {

    static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};

    static final Schema SCHEMA = SchemaBuilder.struct().name("pg.public.bench_orders.Value")
            .field("id", SchemaBuilder.int64().build())
            .field("updated_at", SchemaBuilder.int64().name("dev.outflow.time.TimestampMicros").build())
            .field("customer_id", SchemaBuilder.int32().build())
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "12").build())
            .field("status", SchemaBuilder.string().build())
            .field("note", SchemaBuilder.string().optional().build())
            .field("is_paid", SchemaBuilder.bool().build())
            .field("order_date", Date.builder().build())
            .field("ext_id", SchemaBuilder.string().name("dev.outflow.data.Uuid").build())
            .field("attrs", SchemaBuilder.string().name("dev.outflow.data.Json").optional().build())
            .field("discount", Decimal.builder(2).parameter("connect.decimal.precision", "5").optional().build())
            .build();

    private static final long START_MICROS = 1_770_796_800_000_000L; // 2026-02-11T08:00:00Z

    private BenchRows() {
    }

    static Struct row(long id, Random rnd) {
        return new Struct(SCHEMA)
                .put("id", id)
                .put("updated_at", START_MICROS + id * 1_000_003L)
                .put("customer_id", rnd.nextInt(100_000))
                .put("amount", BigDecimal.valueOf(rnd.nextInt(10_000_000), 2))
                .put("status", STATUSES[(int) (id % STATUSES.length)])
                .put("note", "order note " + Long.toHexString(rnd.nextLong()) + " lorem ipsum dolor")
                .put("is_paid", rnd.nextBoolean())
                .put("order_date", new java.util.Date((20_000L + id % 400) * 86_400_000L))
                .put("ext_id", new UUID(rnd.nextLong(), rnd.nextLong()).toString())
                .put("attrs", "{\"channel\": \"web\", \"items\": " + (1 + id % 7) + "}")
                .put("discount", rnd.nextInt(10) < 3 ? null : BigDecimal.valueOf(rnd.nextInt(10_000), 2));
    }
}
