-- Generates a benchmark database of roughly :rows × 125 bytes (8,000,000 rows ≈ 1 GB on disk, indexes included).
-- Data mixes compressible and incompressible columns, like real tables: psql -v rows=8000000 -f generate-database.sql
DROP TABLE IF EXISTS bench_orders, bench_customers;
CREATE TABLE bench_customers (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    profile jsonb NOT NULL
);
INSERT INTO bench_customers
SELECT i, 'Customer ' || i, 'customer' || i || '@example.com',
       jsonb_build_object('tier', (ARRAY['gold', 'silver', 'bronze'])[1 + i % 3], 'since', 2000 + i % 25)
FROM generate_series(1, greatest(:rows / 40, 1)) AS i;

CREATE TABLE bench_orders (
    id bigint PRIMARY KEY,
    customer_id integer NOT NULL,
    created timestamptz NOT NULL,
    amount numeric(12, 2) NOT NULL,
    status text NOT NULL,
    reference text NOT NULL,
    note text
);
INSERT INTO bench_orders
SELECT i,
       1 + (i % greatest(:rows / 40, 1)),
       TIMESTAMPTZ '2020-01-01' + (i * INTERVAL '17 seconds'),
       round((random() * 10000)::numeric, 2),
       (ARRAY['new', 'paid', 'shipped', 'delivered', 'returned'])[1 + i % 5],
       md5(i::text),
       CASE WHEN i % 3 = 0 THEN 'Deliver to the back door, ring twice; order ' || i ELSE NULL END
FROM generate_series(1, :rows) AS i;
CREATE INDEX bench_orders_customer ON bench_orders (customer_id);
ANALYZE;
SELECT pg_size_pretty(pg_database_size(current_database())) AS database_size;
