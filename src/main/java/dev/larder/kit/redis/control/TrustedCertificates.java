package dev.larder.kit.redis.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities of a PEM file ({@code larder.redis.tls.ca-file}, as Redis's own
 * {@code tls-ca-cert-file}), as the trust managers of Larder's TLS connections to Redis. The trust
 * store is built in memory: no keystore file to convert, ship or protect with a password.
 */
final class TrustedCertificates {

    private TrustedCertificates() {
    }

    static TrustManagerFactory read(Path pemFile) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pemFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read larder.redis.tls.ca-file " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("larder.redis.tls.ca-file " + pemFile + " holds no readable PEM certificate", e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("larder.redis.tls.ca-file " + pemFile + " holds no certificate");
        }
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store from " + pemFile, e);
        }
    }
}
