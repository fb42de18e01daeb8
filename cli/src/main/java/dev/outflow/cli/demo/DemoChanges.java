package dev.outflow.cli.demo;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the demo's shop does every few seconds, so incremental sync has something to pick up: new orders with
 * their lines arrive, some orders move on in their life cycle, a customer changes e-mail address. Every change is
 * one transaction, as an application would make it; updated rows get a new {@code updated_at} from the trigger.
 */
final class DemoChanges {

    private final DemoDatabase db;
    private int round;

    DemoChanges(DemoDatabase db) {
        this.db = db;
    }

    /** One round of changes; returns what it did, in words, for the console. */
    String applyOne() throws SQLException {
        round++;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            int created = st.executeUpdate("""
                    WITH new_orders AS (
                      INSERT INTO shop.orders (customer_id, note)
                      SELECT 1 + (random() * %d)::int %% %d, 'demo round %d' FROM generate_series(1, 3)
                      RETURNING id)
                    INSERT INTO shop.order_lines (order_id, product_id, quantity, unit_price)
                    SELECT o.id, p.id, 1 + (random() * 3)::int, p.price
                    FROM new_orders o JOIN shop.products p ON p.id = 1 + (o.id * 17) %% %d"""
                    .formatted(DemoSchema.CUSTOMERS, DemoSchema.CUSTOMERS, round, DemoSchema.PRODUCTS));
            st.executeUpdate("""
                    UPDATE shop.orders o SET total = l.total
                    FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM shop.order_lines
                          GROUP BY 1) l
                    WHERE l.order_id = o.id AND o.total = 0""");
            int advanced = st.executeUpdate("""
                    UPDATE shop.orders SET status = CASE status WHEN 'new' THEN 'paid' WHEN 'paid' THEN 'shipped'
                                                    ELSE 'delivered' END::shop.order_status
                    WHERE id IN (SELECT id FROM shop.orders WHERE status IN ('new', 'paid', 'shipped')
                                 ORDER BY random() LIMIT 2)""");
            int customers = st.executeUpdate("""
                    UPDATE shop.customers SET email = 'customer' || id || '+r%d@example.com'
                    WHERE id = 1 + (%d * 31) %% %d""".formatted(round, round, DemoSchema.CUSTOMERS));
            c.commit();
            return "3 new orders (" + created + " lines), " + advanced + " orders moved on, " + customers
                    + " customer changed e-mail";
        }
    }
}
