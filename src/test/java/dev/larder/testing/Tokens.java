package dev.larder.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MicroProfile JWTs for the tests, made with the JDK alone. The servers trust one key pair whose
 * public half is in the pom (failsafe's {@code MP_JWT_VERIFY_PUBLICKEY}) and whose private half is
 * {@code it-only-jwt-private.pem} beside this class: a key made for the tests, trusted by nothing
 * else. It is fixed rather than made per run because Arquillian starts instance A from failsafe's
 * environment, which is settled before any test code runs. {@link #otherKeys()} is a pair made in
 * this JVM that no server trusts.
 */
public final class Tokens {

    /** The issuer the servers of the tests accept (failsafe's {@code MP_JWT_VERIFY_ISSUER}). */
    public static final String ISSUER = System.getProperty("larder.it.jwt-issuer", "https://larder.test/it");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final KeyPair TRUSTED = trusted();
    private static KeyPair others;
    private static String admin;
    private static Instant adminMinted = Instant.MIN;

    private Tokens() {
    }

    /** A token of the {@code admin} group, valid for an hour (at least 50 more minutes), signed with the trusted key. */
    public static synchronized String admin() {
        if (adminMinted.isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
            admin = claims().sign();
            adminMinted = Instant.now();
        }
        return admin;
    }

    /** A token to shape: by default that of {@link #admin()}. */
    public static Claims claims() {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", "it-admin");
        claims.put("upn", "it-admin@larder.test");
        claims.put("groups", List.of("admin"));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(Duration.ofHours(1)).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        return new Claims(claims);
    }

    /** The claims of a token and the ways to sign them, good and bad. */
    public record Claims(Map<String, Object> values) {

        public Claims with(String name, Object value) {
            Map<String, Object> changed = new LinkedHashMap<>(values);
            if (value == null) {
                changed.remove(name);
            } else {
                changed.put(name, value);
            }
            return new Claims(changed);
        }

        /** RS256 with the key the servers trust. */
        public String sign() {
            return signWith(TRUSTED.getPrivate());
        }

        public String signWith(PrivateKey key) {
            String signed = encode(Map.of("alg", "RS256", "typ", "JWT")) + "." + encode(values);
            return signed + "." + B64.encodeToString(rs256(signed, key));
        }

        /** HS256 keyed with {@code secret}: a verifier that took the algorithm from the token would accept it. */
        public String signHs256(byte[] secret) {
            String signed = encode(Map.of("alg", "HS256", "typ", "JWT")) + "." + encode(values);
            return signed + "." + B64.encodeToString(hs256(signed, secret));
        }

        /** {@code alg: none} and an empty signature (RFC 7519, 6.1). */
        public String unsigned() {
            return encode(Map.of("alg", "none", "typ", "JWT")) + "." + encode(values) + ".";
        }
    }

    /** The trusted public key as PEM, as an operator would configure it. */
    public static String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + publicKeyBase64() + "\n-----END PUBLIC KEY-----\n";
    }

    /** The trusted public key, base64 of its DER form: the value in the pom. */
    public static String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(TRUSTED.getPublic().getEncoded());
    }

    /** A key pair made in this JVM, which no server trusts. */
    public static synchronized KeyPair otherKeys() {
        if (others == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                others = generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return others;
    }

    private static String encode(Map<String, Object> json) {
        try {
            return B64.encodeToString(JSON.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] rs256(String signed, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hs256(String signed, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair trusted() {
        try (InputStream pem = Tokens.class.getResourceAsStream("it-only-jwt-private.pem")) {
            String base64 = new String(pem.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----|\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            String configured = System.getProperty("larder.it.jwt-public-key");
            if (configured != null && !configured.equals(Base64.getEncoder().encodeToString(publicKey.getEncoded()))) {
                throw new IllegalStateException("The servers trust another key than it-only-jwt-private.pem: "
                        + "it.jwt.public-key in the pom must be its public half");
            }
            return new KeyPair(publicKey, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
