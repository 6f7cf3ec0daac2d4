package dev.larder.shop.catalog.control;

import dev.larder.shop.catalog.entity.Product;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import javax.sql.DataSource;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Metric;

/**
 * A product read by id for a cache miss: one {@code SELECT} on a pooled connection, with no entity
 * manager, JTA interceptor or metrics interceptor around it (those were a tenth of a miss's CPU; see
 * bench/RESULTS.md, "Issue 10: the miss target"). Inside a transaction the read goes through
 * {@link Products#find} instead, so that it sees what that transaction has written and not yet
 * flushed. Both ways give the same {@link Product}
 * ({@code CatalogIT.aMissReadsTheProductAsTheWriteShowedIt}).
 *
 * <p>Counted ({@code larder_catalog_product_reads_total}), so that tests and operators see how often
 * the cache's misses reach the database.
 */
@ApplicationScoped
public class ProductReads {

    static final String SELECT = "SELECT id, sku, name, description, pricecents, stock, category, viewcount, updatedat"
            + " FROM product WHERE id = ?";

    @Resource(lookup = "java:app/jdbc/larder")
    DataSource database;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    Products products;

    @Inject
    @Metric(name = "larder.catalog.product.reads", absolute = true, unit = MetricUnits.NONE,
            description = "Products read from the database by id")
    Counter reads;

    /** The product, or null if there is none. */
    public Product find(long id) {
        reads.inc();
        if (transactions.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
            return products.find(id);
        }
        try (Connection connection = database.getConnection();
             PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? product(row) : null;
            }
        } catch (SQLException e) {
            throw new PersistenceException("Could not read product " + id + ": " + e.getMessage(), e);
        }
    }

    /** The columns of {@link #SELECT}, as {@code ProductRow.toProduct} maps them. */
    static Product product(ResultSet row) throws SQLException {
        Timestamp updated = row.getTimestamp(9);
        return new Product(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getLong(5),
                row.getInt(6), row.getString(7), row.getLong(8), updated == null ? null : updated.toInstant());
    }
}
