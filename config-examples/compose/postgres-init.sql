-- The demo schema docker compose starts with (the same shop `floe-local up --demo` runs): customers and orders,
-- default replica identity, as a database usually is. Runs once, when the Postgres volume is created.
create schema demo;
create table demo.customers (id serial primary key, name text not null, email text, tier text,
  balance numeric(12,2) not null default 0, updated_at timestamptz not null default now());
create table demo.orders (id bigserial primary key, customer_id int not null, amount numeric(10,2) not null,
  status text not null, created_at timestamp not null default now());
insert into demo.customers (name, email, tier, balance)
  select 'customer ' || g, 'c' || g || '@example.com', (array['free', 'pro', 'team'])[1 + g % 3], g * 10.5
  from generate_series(1, 500) g;
insert into demo.orders (customer_id, amount, status)
  select 1 + g % 500, (g % 997) * 1.25, (array['new', 'paid', 'shipped'])[1 + g % 3]
  from generate_series(1, 5000) g;
