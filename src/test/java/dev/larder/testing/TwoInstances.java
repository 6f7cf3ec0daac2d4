package dev.larder.testing;

import java.io.File;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Black-box integration tests against two Larder instances on one Redis and one database: A, the
 * built WAR deployed by Arquillian on Payara Micro (Hazelcast running), and B, the shared second
 * instance started as operators start it ({@link PayaraInstance#shared()}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class TwoInstances {

    protected static PayaraInstance second;

    @ArquillianResource
    protected URL base;

    protected Api a;
    protected Api b;

    @Deployment(testable = false)
    public static WebArchive larder() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("larder.it.war")));
    }

    @BeforeAll
    static void secondInstance() throws Exception {
        second = PayaraInstance.shared();
    }

    private double outagesBefore;

    @BeforeEach
    void clients() {
        a = new Api(base.toString());
        b = second.api();
        outagesBefore = a.metric(Api.OUTAGES) + b.metric(Api.OUTAGES);
    }

    /**
     * A test that stopped, paused or cut off Redis leaves its instances reconnecting (Redisson brings
     * its pooled connections back one by one, and a breaker may open once more on a stale one): the
     * next test, which may count loads or misses, starts only once both have had Redis for a while.
     */
    @AfterEach
    void settleAfterAnOutage() throws Exception {
        if (a.metric(Api.OUTAGES) + b.metric(Api.OUTAGES) != outagesBefore) {
            a.awaitRedisSteady(Duration.ofSeconds(2), Duration.ofSeconds(60));
            b.awaitRedisSteady(Duration.ofSeconds(2), Duration.ofSeconds(60));
        }
    }
}
