package dev.larder.shop.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.larder.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The table of requests that try to change the catalog or flush a cache without the right to: each
 * must answer 401, 403 or 400, as problem+json (401 with a Bearer challenge), and change nothing.
 */
final class HostileRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param bare answered by the HTTP layer before the servlet container, so without a problem body
     */
    record Case(String name, String method, String path, List<Map.Entry<String, String>> headers, String body, int status,
                boolean bare) {
        @Override
        public String toString() {
            return name + ": " + method + " " + path;
        }
    }

    private HostileRequests() {
    }

    static List<Case> cases(long id, String sku) {
        String one = "/api/products/" + id;
        String put = Fixtures.draft(sku, "Changed by a hostile request", 1, "pantry");
        long now = Instant.now().getEpochSecond();
        String valid = Tokens.admin();
        List<Case> cases = new ArrayList<>();

        // no credentials at all, on every protected route
        cases.add(write("POST without a token", "POST", "/api/products", Fixtures.draft("hostile-" + now, "Hostile", 1, "pantry"), List.of(), 401));
        cases.add(write("PUT without a token", "PUT", one, put, List.of(), 401));
        cases.add(write("DELETE without a token", "DELETE", one, null, List.of(), 401));
        cases.add(write("stock without a token", "POST", one + "/stock", "{\"delta\":-5}", List.of(), 401));
        cases.add(write("cache flush without a token", "DELETE", "/api/caches/products", null, List.of(), 401));

        // tokens that must not verify
        Tokens.Claims admin = Tokens.claims();
        cases.add(bearer("alg none", one, put, admin.unsigned(), 401));
        cases.add(bearer("alg none, signature kept", one, put, swapHeader(valid, "{\"alg\":\"none\",\"typ\":\"JWT\"}"), 401));
        cases.add(bearer("HS256 keyed with the public key PEM", one, put,
                admin.signHs256(Tokens.publicKeyPem().getBytes(StandardCharsets.US_ASCII)), 401));
        cases.add(bearer("HS256 keyed with the public key DER", one, put,
                admin.signHs256(Base64.getDecoder().decode(Tokens.publicKeyBase64())), 401));
        cases.add(bearer("signed with an untrusted key", one, put, admin.signWith(Tokens.otherKeys().getPrivate()), 401));
        cases.add(bearer("expired", one, put, admin.with("iat", now - 7200).with("exp", now - 3600).sign(), 401));
        cases.add(bearer("not valid before an hour from now", one, put, admin.with("nbf", now + 3600).sign(), 401));
        cases.add(bearer("issued an hour from now", one, put, admin.with("iat", now + 3600).with("exp", now + 7200).sign(), 401));
        cases.add(bearer("wrong issuer", one, put, admin.with("iss", "https://attacker.example").sign(), 401));
        cases.add(bearer("no issuer", one, put, admin.with("iss", null).sign(), 401));
        cases.add(bearer("no expiry", one, put, admin.with("exp", null).sign(), 401));
        cases.add(bearer("no subject", one, put, admin.with("sub", null).with("upn", null).sign(), 401));
        cases.add(bearer("payload changed after signing", one, put,
                swapPayload(Tokens.claims().with("groups", List.of("customer")).sign(), admin.values()), 401));
        cases.add(bearer("signature cut short", one, put, valid.substring(0, valid.length() - 10), 401));
        cases.add(bearer("garbage", one, put, "%%%###!!!", 401));
        cases.add(bearer("three parts of nothing", one, put, "a.b.c", 401));
        cases.add(bearer("large random token", one, put, random(5_000), 401));

        // verified tokens without the admin group
        cases.add(bearer("groups without admin", one, put, Tokens.claims().with("groups", List.of("customer")).sign(), 403));
        cases.add(bearer("no groups", one, put, Tokens.claims().with("groups", null).sign(), 403));
        cases.add(bearer("group Admin (case differs)", one, put, Tokens.claims().with("groups", List.of("Admin")).sign(), 403));
        cases.add(write("cache flush without admin", "DELETE", "/api/caches/products", null,
                List.of(Map.entry("Authorization", "Bearer " + Tokens.claims().with("groups", List.of("customer")).sign())), 403));

        // malformed Authorization headers
        cases.add(authorization("Bearer alone", one, put, "Bearer", 401));
        cases.add(authorization("Bearer and spaces", one, put, "Bearer    ", 401));
        cases.add(authorization("Basic credentials", one, put, "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()), 401));
        cases.add(authorization("scheme in lower case (Payara reads only \"Bearer\")", one, put, "bearer " + valid, 401));
        cases.add(authorization("no space after Bearer", one, put, "Bearer" + valid, 401));
        cases.add(write("two Authorization headers, both valid", "PUT", one, put,
                List.of(Map.entry("Authorization", "Bearer " + valid), Map.entry("Authorization", "Bearer " + valid)), 400));
        cases.add(write("two Authorization headers, the second bad", "PUT", one, put,
                List.of(Map.entry("Authorization", "Bearer " + valid), Map.entry("Authorization", "Bearer a.b.c")), 400));
        cases.add(write("two Authorization headers, the first bad", "PUT", one, put,
                List.of(Map.entry("Authorization", "Bearer a.b.c"), Map.entry("Authorization", "Bearer " + valid)), 401));
        cases.add(new Case("header larger than the HTTP layer takes", "PUT", one,
                List.of(json(), Map.entry("Authorization", "Bearer " + random(16_000))), put, 400, true));

        // the token anywhere but the Authorization header
        cases.add(write("token in a cookie named Bearer", "PUT", one, put, List.of(Map.entry("Cookie", "Bearer=" + valid)), 401));
        cases.add(write("token in a $Version cookie", "PUT", one, put, List.of(Map.entry("Cookie", "$Version=1; Bearer=" + valid)), 401));
        cases.add(write("token as the session cookie", "PUT", one, put, List.of(Map.entry("Cookie", "LARDER_SESSION=" + valid)), 401));
        cases.add(write("token in X-Authorization", "PUT", one, put, List.of(Map.entry("X-Authorization", "Bearer " + valid)), 401));
        cases.add(write("token in the query", "PUT", one + "?access_token=" + valid, put, List.of(), 401));

        // a bad token is refused on anonymous routes too
        cases.add(new Case("a read with a forged token", "GET", one,
                List.of(Map.entry("Authorization", "Bearer " + admin.signWith(Tokens.otherKeys().getPrivate()))), null, 401, false));
        return cases;
    }

    private static Case write(String name, String method, String path, String body, List<Map.Entry<String, String>> headers, int status) {
        List<Map.Entry<String, String>> all = new ArrayList<>(headers);
        if (body != null) {
            all.add(json());
        }
        return new Case(name, method, path, all, body, status, false);
    }

    private static Case bearer(String name, String path, String body, String token, int status) {
        return authorization(name, path, body, "Bearer " + token, status);
    }

    private static Case authorization(String name, String path, String body, String header, int status) {
        return write(name, "PUT", path, body, List.of(Map.entry("Authorization", header)), status);
    }

    private static Map.Entry<String, String> json() {
        return Map.entry("Content-Type", "application/json");
    }

    private static String swapHeader(String token, String header) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
    }

    /** The token's signature over other claims. */
    private static String swapPayload(String token, Map<String, Object> claims) {
        String[] parts = token.split("\\.");
        try {
            return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims)) + "." + parts[2];
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int length) {
        byte[] bytes = new byte[length * 3 / 4];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
