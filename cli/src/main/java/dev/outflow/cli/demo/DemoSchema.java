package dev.outflow.cli.demo;

import java.util.List;

/**
 * The demo's shop: customers, products, orders and their lines, with the column types people actually have
 * (identity keys, timestamptz, numeric money, an enum, uuid, jsonb, a text array, a date) and an
 * {@code updated_at} kept by a trigger, as in most applications. outflow's {@code auto} mode picks timestamp mode
 * for the tables with {@code updated_at} and incrementing mode for {@code order_lines}, which is insert-only.
 */
final class DemoSchema {

    private DemoSchema() {
    }

    /** Number of customers, products and orders created at start. */
    static final int CUSTOMERS = 200;
    static final int PRODUCTS = 50;
    static final int ORDERS = 2_000;

    static final List<String> CREATE = List.of(
            "CREATE SCHEMA shop",
            "CREATE TYPE shop.order_status AS ENUM ('new', 'paid', 'shipped', 'delivered', 'cancelled')",
            """
            CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$""",
            """
            CREATE TABLE shop.customers (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              name text NOT NULL,
              email text NOT NULL,
              country char(2) NOT NULL,
              signed_up date NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT clock_timestamp())""",
            """
            CREATE TABLE shop.products (
              id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              sku uuid NOT NULL DEFAULT gen_random_uuid(),
              name text NOT NULL,
              price numeric(10,2) NOT NULL,
              tags text[] NOT NULL,
              attributes jsonb NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT clock_timestamp())""",
            """
            CREATE TABLE shop.orders (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              customer_id bigint NOT NULL REFERENCES shop.customers,
              status shop.order_status NOT NULL DEFAULT 'new',
              total numeric(12,2) NOT NULL DEFAULT 0,
              note text,
              ordered_at timestamptz NOT NULL DEFAULT clock_timestamp(),
              updated_at timestamptz NOT NULL DEFAULT clock_timestamp())""",
            """
            CREATE TABLE shop.order_lines (
              id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              order_id bigint NOT NULL REFERENCES shop.orders,
              product_id integer NOT NULL REFERENCES shop.products,
              quantity integer NOT NULL,
              unit_price numeric(10,2) NOT NULL)""",
            "CREATE INDEX ON shop.customers (updated_at, id)",
            "CREATE INDEX ON shop.products (updated_at, id)",
            "CREATE INDEX ON shop.orders (updated_at, id)",
            """
            INSERT INTO shop.customers (name, email, country, signed_up)
            SELECT 'Customer ' || i, 'customer' || i || '@example.com',
                   (ARRAY['US','DE','FR','GB','JP','BR','IN'])[1 + i %% 7], date '2024-01-01' + (i * 3)
            FROM generate_series(1, %d) i""".formatted(CUSTOMERS),
            """
            INSERT INTO shop.products (name, price, tags, attributes)
            SELECT 'Product ' || i, round((5 + (i * 37) %% 495)::numeric + 0.99, 2),
                   ARRAY[(ARRAY['garden','kitchen','office','outdoor','toys'])[1 + i %% 5], 'demo'],
                   jsonb_build_object('color', (ARRAY['red','green','blue'])[1 + i %% 3], 'weight_g', 100 + i * 10)
            FROM generate_series(1, %d) i""".formatted(PRODUCTS),
            """
            INSERT INTO shop.orders (customer_id, status, ordered_at, updated_at)
            SELECT 1 + (i * 7) %% %d,
                   (ARRAY['new','paid','shipped','delivered','cancelled'])[1 + i %% 5]::shop.order_status,
                   now() - (%d - i) * interval '1 hour', now() - (%d - i) * interval '1 hour'
            FROM generate_series(1, %d) i""".formatted(CUSTOMERS, ORDERS, ORDERS, ORDERS),
            """
            INSERT INTO shop.order_lines (order_id, product_id, quantity, unit_price)
            SELECT o.id, p.id, 1 + (o.id + n) %% 4, p.price
            FROM shop.orders o CROSS JOIN generate_series(1, 3) n
            JOIN shop.products p ON p.id = 1 + (o.id * 13 + n * 7) %% %d""".formatted(PRODUCTS),
            """
            UPDATE shop.orders o SET total = l.total, updated_at = o.updated_at
            FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM shop.order_lines GROUP BY 1) l
            WHERE l.order_id = o.id""",
            // After the seed, so the seeded orders keep their spread of times (and of day partitions).
            "CREATE TRIGGER touch BEFORE UPDATE ON shop.customers FOR EACH ROW EXECUTE FUNCTION shop.touch()",
            "CREATE TRIGGER touch BEFORE UPDATE ON shop.products FOR EACH ROW EXECUTE FUNCTION shop.touch()",
            "CREATE TRIGGER touch BEFORE UPDATE ON shop.orders FOR EACH ROW EXECUTE FUNCTION shop.touch()");
}
