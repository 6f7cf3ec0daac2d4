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

    @BeforeEach
    void clients() {
        a = new Api(base.toString());
        b = second.api();
    }
}
