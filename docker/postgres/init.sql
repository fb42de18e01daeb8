-- Sample data for the docker-compose stack: the postgres image runs this once, on an empty data directory, as
-- POSTGRES_USER in POSTGRES_DB. config/source-postgres.json syncs public.orders (table.include.list); the other
-- table is there to show that tables outside the include list stay untouched.
-- packaging-tests' PackagedPluginIT runs this same file against a real PostgreSQL and checks every row arrives.

CREATE TABLE public.customers (
    id         bigint PRIMARY KEY,
    name       text        NOT NULL,
    country    char(2)     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.orders (
    id          bigserial PRIMARY KEY,  -- incrementing.column.name in config/source-postgres.json
    customer_id bigint        NOT NULL REFERENCES public.customers (id),
    status      text          NOT NULL,
    amount      numeric(12,2) NOT NULL,
    note        text,
    ordered_on  date          NOT NULL,
    created_at  timestamptz   NOT NULL
);

INSERT INTO public.customers (id, name, country)
SELECT i, 'customer ' || i, (ARRAY['DE', 'FR', 'NL', 'US', 'JP'])[1 + i % 5]
  FROM generate_series(1, 50) AS i;

-- 1,000 orders with deterministic values (NULL notes included), so the synced Parquet can be checked exactly.
INSERT INTO public.orders (customer_id, status, amount, note, ordered_on, created_at)
SELECT 1 + i % 50,
       (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + i % 4],
       round((i * 7.31) % 1000, 2),
       CASE WHEN i % 7 = 0 THEN NULL ELSE 'order ' || i END,
       date '2026-01-01' + i % 90,
       timestamptz '2026-01-01 08:00:00+00' + i * interval '37 minutes 0.000123 seconds'
  FROM generate_series(1, 1000) AS i;
