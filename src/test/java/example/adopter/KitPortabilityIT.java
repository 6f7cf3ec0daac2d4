package example.adopter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.larder.kit.caching.control.CachingExtension;
import jakarta.inject.Inject;
import java.io.File;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * The kit in another team's WAR: a micro-WAR of nothing but the kit's packages (and the libraries
 * the built WAR ships), this team's {@link Pantry} and its configuration, deployed on Payara Micro
 * and tested from inside. The JSR-107 annotations on {@code Pantry} are served from the tests'
 * Redis: what a call caches is in the hash {@code larder:cache:pantry-shelves}, read here raw. The
 * server runs Hazelcast, so Payara's own JSR-107 interceptors would cache a second time if the kit
 * did not veto them; a call after the entry was deleted from Redis runs the method, which shows there is none.
 *
 * <p>What the kit needs from the WAR (see the README): its CDI extension registered in
 * {@code META-INF/services}, a {@code beans.xml}, MicroProfile Config with the Redis address and an
 * allow-list naming the cached types, and one JTA persistence unit for the outbox of transactional
 * invalidations ({@code larder_cache_outbox}); here that unit runs on the server's default data source.
 */
@ExtendWith(ArquillianExtension.class)
class KitPortabilityIT {

    /** Where the kit keeps an entry of the pantry's cache: one of its hashes {@code larder:cache:pantry-shelves:<suffix>}. */
    static final dev.larder.kit.caching.control.Slots SLOTS = new dev.larder.kit.caching.control.Slots(
            dev.larder.kit.caching.control.Slots.DEFAULT_GROUPS);

    @Inject
    Pantry pantry;

    /** The kit's own client; read with a string codec, it shows the bytes exactly as Redis holds them. */
    @Inject
    RedissonClient redisson;

    @Deployment(testable = true)
    static WebArchive kitOnly() {
        WebArchive built = ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("larder.it.war")));
        return ShrinkWrap.create(WebArchive.class, "kit-only.war")
                // the kit's classes and the libraries it uses; not the shop's PostgreSQL driver
                .merge(built, Filters.include("/WEB-INF/(lib/(?!postgresql-).*|classes/dev/larder/kit/.*)"))
                .addClasses(Pantry.class, Shelf.class)
                .addAsResource(new StringAsset(CachingExtension.class.getName() + "\n"),
                        "META-INF/services/jakarta.enterprise.inject.spi.Extension")
                .addAsResource(new StringAsset(config()), "META-INF/microprofile-config.properties")
                .addAsResource(new StringAsset(PERSISTENCE), "META-INF/persistence.xml")
                .addAsWebInfResource(new StringAsset(BEANS), "beans.xml");
    }

    private static String config() {
        return String.join("\n",
                "larder.redis.address=redis://127.0.0.1:" + System.getProperty("larder.it.redis-port"),
                "larder.redis.config=" + System.getProperty("larder.it.redis-config", ""),
                "larder.redis.pool-size=4",
                "larder.redis.codec.allowed-types=example.adopter.Shelf,java.lang.String",
                "larder.caching." + Pantry.CACHE + ".ttl=PT5M",
                "larder.caching." + Pantry.CACHE + ".xfetch-beta=0",
                "");
    }

    @Test
    @RunAsClient
    void theMicroWarHoldsTheKitAndNothingOfTheShop() {
        List<String> classes = kitOnly().getContent().keySet().stream().map(ArchivePath::get)
                .filter(p -> p.startsWith("/WEB-INF/classes/") && p.endsWith(".class")).toList();
        assertTrue(classes.stream().anyMatch(p -> p.startsWith("/WEB-INF/classes/dev/larder/kit/caching/")), classes::toString);
        assertTrue(classes.stream().allMatch(p -> p.startsWith("/WEB-INF/classes/dev/larder/kit/")
                || p.startsWith("/WEB-INF/classes/example/adopter/")), classes::toString);
    }

    @Test
    void cacheResultRunsTheMethodOnceAndKeepsTheValueInRedis() {
        String name = fresh();
        int before = pantry.loads();

        assertEquals(new Shelf(name, 1), pantry.shelf(name));
        assertEquals(new Shelf(name, 1), pantry.shelf(name));

        assertEquals(1, pantry.loads() - before, "loaded once");
        String stored = raw(name).get(name);
        assertNotNull(stored, "the entry is in Redis");
        assertTrue(stored.contains("\"@type\":\"example.adopter.Shelf\"") && stored.contains("\"name\":\"" + name + "\""), stored);

        raw(name).fastRemove(name); // gone from Redis, so the next call must load: nothing else holds it
        assertEquals(new Shelf(name, 1), pantry.shelf(name));
        assertEquals(2, pantry.loads() - before, "loaded again once Redis lost the entry");
    }

    @Test
    void cachePutReplacesTheEntryInRedis() {
        String name = fresh();
        pantry.shelf(name);
        int before = pantry.loads();

        pantry.restock(name, new Shelf(name, 7));

        assertTrue(raw(name).get(name).contains("\"jars\":7"), raw(name).get(name));
        assertEquals(new Shelf(name, 7), pantry.shelf(name));
        assertEquals(0, pantry.loads() - before, "served the put value without loading");
    }

    @Test
    void cacheRemoveRemovesTheEntryFromRedis() {
        String name = fresh();
        pantry.shelf(name);
        assertNotNull(raw(name).get(name));
        int before = pantry.loads();

        pantry.empty(name);

        assertNull(raw(name).get(name), "removed from Redis");
        pantry.shelf(name);
        assertEquals(1, pantry.loads() - before, "loaded again after the remove");
    }

    private RMap<String, String> raw(String key) {
        return redisson.getMap(SLOTS.hashOf(Pantry.CACHE, key), StringCodec.INSTANCE);
    }

    private static String fresh() {
        return "shelf-" + UUID.randomUUID();
    }

    private static final String BEANS = """
            <beans xmlns="https://jakarta.ee/xml/ns/jakartaee" version="4.0" bean-discovery-mode="annotated"/>
            """;

    /** The outbox's table on the server's default data source, created if missing. */
    private static final String PERSISTENCE = """
            <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.0">
                <persistence-unit name="adopter" transaction-type="JTA">
                    <jta-data-source>java:comp/DefaultDataSource</jta-data-source>
                    <exclude-unlisted-classes>false</exclude-unlisted-classes>
                    <shared-cache-mode>NONE</shared-cache-mode>
                    <properties>
                        <property name="jakarta.persistence.schema-generation.database.action" value="create"/>
                    </properties>
                </persistence-unit>
            </persistence>
            """;
}
