package io.jenkins.plugins.pgbackup.demo;

import java.util.List;
import java.util.Map;

/**
 * The demo's sample database: a small shop ({@value #DATABASE}) whose tables belong to the role {@value #OWNER}, as
 * an application's database would. Deterministic, so a restore can be compared with it row by row.
 */
public final class DemoSample {
    /** The database the demo backs up. */
    public static final String DATABASE = "shop";
    /** The role that owns the database and its tables, and that the demo's backups connect as. */
    public static final String OWNER = "shop_owner";

    /** Rows per table, as {@link #SCHEMA} makes them. */
    public static final Map<String, Integer> ROWS = Map.of(
            "public.customers", 200,
            "public.products", 50,
            "public.orders", 1000,
            "public.order_items", 3000);

    /** Run as {@link #OWNER} in {@link #DATABASE}: the tables (owned by whoever runs it) and their rows. */
    public static final List<String> SCHEMA = List.of("""
            CREATE TABLE customers (
                id integer PRIMARY KEY,
                name text NOT NULL,
                email text NOT NULL UNIQUE,
                created_at timestamptz NOT NULL)""", """
            CREATE TABLE products (
                id integer PRIMARY KEY,
                name text NOT NULL,
                price_cents integer NOT NULL CHECK (price_cents > 0))""", """
            CREATE TABLE orders (
                id integer PRIMARY KEY,
                customer_id integer NOT NULL REFERENCES customers,
                ordered_at timestamptz NOT NULL)""", """
            CREATE TABLE order_items (
                order_id integer NOT NULL REFERENCES orders,
                product_id integer NOT NULL REFERENCES products,
                quantity integer NOT NULL CHECK (quantity > 0),
                PRIMARY KEY (order_id, product_id))""", """
            CREATE VIEW revenue_per_customer AS
                SELECT c.id, c.name, sum(i.quantity * p.price_cents) AS revenue_cents
                FROM customers c JOIN orders o ON o.customer_id = c.id
                JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
                GROUP BY c.id, c.name""", """
            INSERT INTO customers
                SELECT g, 'Customer ' || g, 'customer' || g || '@example.com',
                       timestamptz '2025-01-01 00:00:00+00' + g * interval '1 day'
                FROM generate_series(1, 200) g""", """
            INSERT INTO products
                SELECT g, 'Product ' || g, 100 + (g * 37) % 9900 FROM generate_series(1, 50) g""", """
            INSERT INTO orders
                SELECT g, 1 + (g * 7) % 200, timestamptz '2025-06-01 00:00:00+00' + g * interval '1 hour'
                FROM generate_series(1, 1000) g""", """
            INSERT INTO order_items
                SELECT o, 1 + (o + k * 17) % 50, 1 + (o * k) % 5
                FROM generate_series(1, 1000) o, generate_series(0, 2) k""");

    /**
     * Queries that are true of the sample and of every faithful copy of it: what the demo's restore drill checks
     * beyond the row counts.
     */
    public static final List<String> CHECKS = List.of(
            "select count(*) = 0 from orders o left join customers c on c.id = o.customer_id where c.id is null",
            "select sum(quantity) = 7000 from order_items",
            "select count(*) = 200 from revenue_per_customer");

    private DemoSample() {}
}
