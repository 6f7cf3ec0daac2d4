package dev.larder.shop.catalog;

import java.util.ArrayList;
import java.util.List;

/** The table of bad requests that must each answer 4xx problem+json and change nothing. */
final class BadInputs {

    static final String JSON = "application/json";

    record Case(String method, String path, String contentType, String body, int status) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 80 ? body.substring(0, 80) + "..." : body;
            return method + " " + path + " " + shown;
        }
    }

    private BadInputs() {
    }

    static List<Case> cases(long id, String otherSku) {
        List<Case> cases = new ArrayList<>();
        String products = "/api/products";
        String one = products + "/" + id;
        // malformed or wrongly shaped bodies
        for (String body : List.of("{bad", "", "null", "[]", "\"text\"", "42", "{\"sku\":\"a\"} trailing",
                product("\"sku\":\"dup-a\",\"sku\":\"dup-b\""))) {
            cases.add(new Case("POST", products, JSON, body, 400));
        }
        // wrong types, fractions, huge and negative numbers, unknown fields
        for (String fields : List.of("\"priceCents\":1.5", "\"priceCents\":1e3", "\"priceCents\":99999999999999999999999",
                "\"priceCents\":\"12\"", "\"priceCents\":-1", "\"priceCents\":10000000001", "\"stock\":2147483648",
                "\"stock\":-5", "\"stock\":true", "\"stock\":[1]", "\"name\":{\"a\":1}", "\"evil\":1",
                "\"category\":null", "\"category\":\"Dairy\"", "\"category\":\"\"")) {
            cases.add(new Case("POST", products, JSON, product(fields), 400));
        }
        // strings: blank, too long, odd characters
        for (String fields : List.of("\"name\":\"   \"", "\"name\":\"" + "n".repeat(201) + "\"", "\"sku\":\"has space\"",
                "\"sku\":\"tea\u2615\"", "\"sku\":\"" + "s".repeat(65) + "\"", "\"name\":\"nul\\u0000byte\"",
                "\"description\":\"" + "d".repeat(4001) + "\"", "\"sku\":null",
                "\"name\":\"\\ud800\"", "\"name\":\"a\\udc00b\"", "\"description\":\"\\ud83d\"")) {
            cases.add(new Case("POST", products, JSON, product(fields), 400));
        }
        cases.add(new Case("POST", products, JSON, product("\"description\":\"" + "x".repeat(70_000) + "\""), 413));
        cases.add(new Case("POST", products, "text/plain", "sku=x", 415));
        cases.add(new Case("POST", products, JSON, product("\"sku\":\"" + otherSku + "\""), 409));
        // replace
        cases.add(new Case("PUT", products + "/999999999", JSON, product(""), 404));
        cases.add(new Case("PUT", products + "/abc", JSON, product(""), 404));
        cases.add(new Case("PUT", one, JSON, product("\"priceCents\":-5"), 400));
        cases.add(new Case("PUT", one, JSON, product("\"sku\":\"" + otherSku + "\""), 409));
        cases.add(new Case("PUT", one, JSON, "{bad", 400));
        // reads with bad ids and parameters
        // (an encoded NUL in a path never reaches the application: the HTTP layer answers a bare 400)
        for (String path : List.of("/abc", "/0", "/-1", "/99999999999999999999", "/1.5", "/%20", "/%E2%98%95", "/12abc", "/%2e%2e", "/1%2F2",
                "/..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/passwd")) {
            cases.add(new Case("GET", products + path, null, null, 404));
        }
        for (String query : List.of("size=0", "size=101", "size=abc", "page=-1", "page=1.5", "page=99999999999",
                "category=UPPER", "category=%3Cscript%3E", "size=%00")) {
            cases.add(new Case("GET", products + "?" + query, null, null, 400));
        }
        // stock, delete, caches, methods
        cases.add(new Case("POST", one + "/stock", JSON, "{\"delta\":\"x\"}", 400));
        cases.add(new Case("POST", one + "/stock", JSON, "{}", 400));
        cases.add(new Case("POST", one + "/stock", JSON, "{\"delta\":1.5}", 400));
        cases.add(new Case("POST", one + "/stock", JSON, "{\"delta\":-1000}", 409));
        cases.add(new Case("POST", products + "/999999999/stock", JSON, "{\"delta\":1}", 404));
        cases.add(new Case("DELETE", products + "/999999999", null, null, 404));
        cases.add(new Case("DELETE", "/api/caches/no-such-cache", null, null, 404));
        cases.add(new Case("PATCH", one, JSON, "{}", 405));
        cases.add(new Case("GET", "/api/no-such-resource", null, null, 404));
        return cases;
    }

    /** A valid product body with some fields replaced or added. */
    static String product(String fields) {
        String base = "\"sku\":\"bad-input\",\"name\":\"Bad input\",\"description\":\"x\",\"priceCents\":100,\"stock\":1,\"category\":\"pantry\"";
        if (fields.isEmpty()) {
            return "{" + base + "}";
        }
        StringBuilder merged = new StringBuilder("{").append(fields);
        for (String pair : base.split(",(?=\")")) {
            String key = pair.substring(0, pair.indexOf(':'));
            if (!fields.contains(key + ":")) {
                merged.append(',').append(pair);
            }
        }
        return merged.append('}').toString();
    }
}
