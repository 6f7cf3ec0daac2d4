-- Larder's schema as EclipseLink 4.0 generated it from the entities (schema-generation "create",
-- which Larder used before it had migrations): same tables, columns, types, keys and sequences, in
-- SQL that H2 2.x and PostgreSQL both run. Every statement is IF NOT EXISTS, so this migration also
-- adopts a database that the generated DDL made, whole or in part (an older Larder had fewer
-- tables): Flyway baselines such a schema at version 0 and runs this on top, creating only what is
-- missing. Migrations after this one are ordinary ones.
--
-- Sequences count in steps of 50 from 50: each entity's @SequenceGenerator has allocationSize 50, and
-- EclipseLink takes a value N as the ids N-49..N. Changing either side alone hands out duplicate ids.

-- dev.larder.shop.catalog.entity.ProductRow
CREATE SEQUENCE IF NOT EXISTS product_ids START WITH 50 INCREMENT BY 50;

CREATE TABLE IF NOT EXISTS product (
    id          BIGINT        NOT NULL,
    category    VARCHAR(64)   NOT NULL,
    createdat   TIMESTAMP     NOT NULL,
    description VARCHAR(4000),
    name        VARCHAR(200)  NOT NULL,
    pricecents  BIGINT        NOT NULL,
    sku         VARCHAR(64)   NOT NULL,
    stock       INTEGER       NOT NULL,
    updatedat   TIMESTAMP     NOT NULL,
    version     BIGINT,
    viewcount   BIGINT        NOT NULL,
    CONSTRAINT product_pkey PRIMARY KEY (id),
    CONSTRAINT product_sku_key UNIQUE (sku)
);

CREATE INDEX IF NOT EXISTS product_category_created ON product (category, createdat);

-- dev.larder.shop.orders.entity.OrderRow and its lines (OrderLineRow, an element collection)
CREATE SEQUENCE IF NOT EXISTS order_ids START WITH 50 INCREMENT BY 50;

CREATE TABLE IF NOT EXISTS orders (
    id             BIGINT      NOT NULL,
    countedat      TIMESTAMP,
    createdat      TIMESTAMP   NOT NULL,
    idempotencykey VARCHAR(64),
    owner          VARCHAR(64) NOT NULL,
    CONSTRAINT orders_pkey PRIMARY KEY (id),
    CONSTRAINT orders_owner_key UNIQUE (owner, idempotencykey)
);

CREATE TABLE IF NOT EXISTS order_line (
    pricecents BIGINT  NOT NULL,
    productid  BIGINT  NOT NULL,
    quantity   INTEGER NOT NULL,
    order_id   BIGINT,
    CONSTRAINT fk_order_line_order_id FOREIGN KEY (order_id) REFERENCES orders (id)
);

-- dev.larder.kit.caching.entity.PendingInvalidation: the kit's invalidation outbox
CREATE SEQUENCE IF NOT EXISTS larder_cache_outbox_ids START WITH 50 INCREMENT BY 50;

CREATE TABLE IF NOT EXISTS larder_cache_outbox (
    id              BIGINT        NOT NULL,
    cachekey        VARCHAR(2000),
    cachename       VARCHAR(200)  NOT NULL,
    createdatmillis BIGINT        NOT NULL,
    CONSTRAINT larder_cache_outbox_pkey PRIMARY KEY (id)
);

-- dev.larder.kit.writebehind.entity.AppliedEntry: write-behind entries already in the database
CREATE TABLE IF NOT EXISTS larder_applied_entries (
    stream      VARCHAR(100) NOT NULL,
    entryid     VARCHAR(41)  NOT NULL,
    appliedat   BIGINT       NOT NULL,
    entrymillis BIGINT       NOT NULL,
    CONSTRAINT larder_applied_entries_pkey PRIMARY KEY (stream, entryid)
);

CREATE INDEX IF NOT EXISTS larder_applied_entries_age ON larder_applied_entries (stream, entrymillis);
