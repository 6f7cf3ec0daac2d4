-- The schema EclipseLink 4.0.7 (Payara Micro 6.2025.10) generated on PostgreSQL 15 from Larder's
-- entities with schema-generation "create", before Larder had migrations (pg_dump --schema-only of a
-- database it made). MigrationsTest builds an "existing" database from it.
CREATE TABLE larder_applied_entries (
    stream character varying(100) NOT NULL,
    entryid character varying(41) NOT NULL,
    appliedat bigint NOT NULL,
    entrymillis bigint NOT NULL
);
CREATE TABLE larder_cache_outbox (
    id bigint NOT NULL,
    cachekey character varying(2000),
    cachename character varying(200) NOT NULL,
    createdatmillis bigint NOT NULL
);
CREATE SEQUENCE larder_cache_outbox_ids START WITH 50 INCREMENT BY 50 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE SEQUENCE order_ids START WITH 50 INCREMENT BY 50 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE TABLE order_line (
    pricecents bigint NOT NULL,
    productid bigint NOT NULL,
    quantity integer NOT NULL,
    order_id bigint
);
CREATE TABLE orders (
    id bigint NOT NULL,
    countedat timestamp without time zone,
    createdat timestamp without time zone NOT NULL,
    idempotencykey character varying(64),
    owner character varying(64) NOT NULL
);
CREATE TABLE product (
    id bigint NOT NULL,
    category character varying(64) NOT NULL,
    createdat timestamp without time zone NOT NULL,
    description character varying(4000),
    name character varying(200) NOT NULL,
    pricecents bigint NOT NULL,
    sku character varying(64) NOT NULL,
    stock integer NOT NULL,
    updatedat timestamp without time zone NOT NULL,
    version bigint,
    viewcount bigint NOT NULL
);
CREATE SEQUENCE product_ids START WITH 50 INCREMENT BY 50 NO MINVALUE NO MAXVALUE CACHE 1;
ALTER TABLE ONLY larder_applied_entries ADD CONSTRAINT larder_applied_entries_pkey PRIMARY KEY (stream, entryid);
ALTER TABLE ONLY larder_cache_outbox ADD CONSTRAINT larder_cache_outbox_pkey PRIMARY KEY (id);
ALTER TABLE ONLY orders ADD CONSTRAINT orders_owner_key UNIQUE (owner, idempotencykey);
ALTER TABLE ONLY orders ADD CONSTRAINT orders_pkey PRIMARY KEY (id);
ALTER TABLE ONLY product ADD CONSTRAINT product_pkey PRIMARY KEY (id);
ALTER TABLE ONLY product ADD CONSTRAINT product_sku_key UNIQUE (sku);
CREATE INDEX larder_applied_entries_age ON larder_applied_entries USING btree (stream, entrymillis);
CREATE INDEX product_category_created ON product USING btree (category, createdat);
ALTER TABLE ONLY order_line ADD CONSTRAINT fk_order_line_order_id FOREIGN KEY (order_id) REFERENCES orders(id);
