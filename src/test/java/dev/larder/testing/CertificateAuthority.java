package dev.larder.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority for tests, made with the {@code openssl} command in a directory
 * of the test's own: a self-signed CA certificate and server certificates it signs, with the
 * subject alternative names a test asks for. EC keys (P-256), valid for two days.
 */
public final class CertificateAuthority {

    private final Path dir;
    private final Path certificate;
    private final Path key;

    private CertificateAuthority(Path dir, Path certificate, Path key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /** A server's certificate and key, and the certificate of the authority that signed it (all PEM). */
    public record Issued(Path certificate, Path key, Path authority) {
    }

    public static CertificateAuthority create(Path dir, String name) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path certificate = dir.resolve(name + ".pem");
        Path key = dir.resolve(name + ".key");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new CertificateAuthority(dir, certificate, key);
    }

    public Path certificate() {
        return certificate;
    }

    /** A server certificate for {@code subjectAltNames} such as {@code IP:127.0.0.1} or {@code DNS:localhost}. */
    public Issued issue(String name, String... subjectAltNames) throws IOException, InterruptedException {
        Path serverKey = dir.resolve(name + ".key");
        Path request = dir.resolve(name + ".csr");
        Path serverCertificate = dir.resolve(name + ".pem");
        Path extensions = dir.resolve(name + ".ext");
        Files.writeString(extensions, "subjectAltName=" + String.join(",", subjectAltNames)
                + "\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyAgreement\n", StandardCharsets.US_ASCII);
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", serverKey.toString(), "-out", request.toString(), "-subj", "/CN=" + name);
        openssl(dir, "x509", "-req", "-in", request.toString(), "-CA", certificate.toString(), "-CAkey", key.toString(),
                "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(), "-out", serverCertificate.toString());
        return new Issued(serverCertificate, serverKey, certificate);
    }

    private static void openssl(Path dir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}
