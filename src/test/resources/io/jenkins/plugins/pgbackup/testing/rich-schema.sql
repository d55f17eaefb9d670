-- What real databases have, for backup/restore round trips on servers 12 to 18.
CREATE SCHEMA sales;
CREATE SCHEMA "Größe & Maß";
COMMENT ON SCHEMA sales IS 'Sales data';

CREATE TYPE sales.status AS ENUM ('new', 'paid', 'shipped', 'cancelled');
CREATE DOMAIN sales.positive_money AS numeric(12, 2) CHECK (VALUE >= 0);
CREATE TYPE sales.address AS (street text, city text, zip text);

CREATE SEQUENCE sales.invoice_no START 1000 INCREMENT 7;

CREATE TABLE sales.customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    address sales.address,
    tags text[] NOT NULL DEFAULT '{}',
    profile jsonb,
    avatar bytea,
    created timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE sales.customer IS 'Kunden — customers';
COMMENT ON COLUMN sales.customer.profile IS 'free-form profile';

CREATE TABLE sales.orders (
    id serial,
    customer_id bigint NOT NULL REFERENCES sales.customer (id),
    ordered date NOT NULL,
    status sales.status NOT NULL DEFAULT 'new',
    total sales.positive_money NOT NULL,
    invoice integer NOT NULL DEFAULT nextval('sales.invoice_no'),
    PRIMARY KEY (id, ordered)
) PARTITION BY RANGE (ordered);
CREATE TABLE sales.orders_2024 PARTITION OF sales.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE sales.orders_2025 PARTITION OF sales.orders FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE sales.orders_other PARTITION OF sales.orders DEFAULT;

CREATE TABLE sales.audit (id bigserial PRIMARY KEY, what text NOT NULL, at timestamptz NOT NULL DEFAULT now());

CREATE FUNCTION sales.audit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sales.audit (what) VALUES (TG_OP || ' order ' || NEW.id);
    RETURN NEW;
END
$$;
CREATE TRIGGER orders_audit AFTER INSERT ON sales.orders_2025 FOR EACH ROW EXECUTE FUNCTION sales.audit_order();

CREATE FUNCTION sales.customer_total(c bigint) RETURNS numeric LANGUAGE sql STABLE AS
    'SELECT coalesce(sum(total), 0) FROM sales.orders WHERE customer_id = c';

CREATE TABLE "Größe & Maß"."Maßeinheit" ("Schlüssel" text PRIMARY KEY, "Wert" double precision, "ΔT" interval);

INSERT INTO sales.customer (name, address, tags, profile, avatar)
SELECT 'customer ' || i,
       ROW(i || ' Main St', CASE WHEN i % 2 = 0 THEN 'Zürich' ELSE 'Łódź' END, lpad(i::text, 5, '0'))::sales.address,
       ARRAY['t' || (i % 3), 'vip'],
       jsonb_build_object('n', i, 'nested', jsonb_build_object('ok', i % 2 = 0), 'list', jsonb_build_array(i, i * 2)),
       decode(md5(i::text), 'hex')
FROM generate_series(1, 500) AS i;

INSERT INTO sales.orders (customer_id, ordered, status, total)
SELECT 1 + (i % 500), DATE '2024-01-01' + (i % 900), (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + i % 4]::sales.status,
       round((i * 3.17)::numeric % 1000, 2)
FROM generate_series(1, 3000) AS i;

INSERT INTO "Größe & Maß"."Maßeinheit" VALUES ('Meter', 1.0, '1 hour'), ('Fuß', 0.3048, '2 days'), ('日本', 3.03, NULL);

CREATE VIEW sales.paid_orders AS SELECT * FROM sales.orders WHERE status = 'paid';
CREATE MATERIALIZED VIEW sales.revenue_by_month AS
    SELECT date_trunc('month', ordered) AS month, sum(total) AS revenue FROM sales.orders GROUP BY 1;
CREATE INDEX customer_profile_gin ON sales.customer USING gin (profile);

SELECT lo_from_bytea(424242, convert_to('large object payload', 'UTF8'));
COMMENT ON LARGE OBJECT 424242 IS 'a large object';
