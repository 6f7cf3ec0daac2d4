-- dev.larder.shop.catalog.entity.CategoryRow: each category's name and description, written through
-- the categories cache's CacheWriter (write-through at the JCache level).
CREATE TABLE IF NOT EXISTS category (
    slug        VARCHAR(64)   NOT NULL,
    description VARCHAR(4000),
    name        VARCHAR(200)  NOT NULL,
    updatedat   TIMESTAMP     NOT NULL,
    CONSTRAINT category_pkey PRIMARY KEY (slug)
);
