package dev.larder.kit.caching.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The response tier's reading of {@code Accept} and {@code If-None-Match}. */
class ResponseTierFilterTest {

    static final String JSON = "application/json";

    @Test
    void servesJsonToClientsThatTakeIt() {
        assertThat(ResponseTierFilter.accepts(null, JSON)).isTrue();
        assertThat(ResponseTierFilter.accepts("", JSON)).isTrue();
        assertThat(ResponseTierFilter.accepts("application/json", JSON)).isTrue();
        assertThat(ResponseTierFilter.accepts("text/html, application/*;q=0.5", JSON)).isTrue();
        assertThat(ResponseTierFilter.accepts("*/*", "application/json;charset=UTF-8")).isTrue();
        assertThat(ResponseTierFilter.accepts("Application/JSON", JSON)).isTrue();
    }

    @Test
    void leavesEverythingElseToJaxRs() {
        assertThat(ResponseTierFilter.accepts("text/html", JSON)).isFalse();
        assertThat(ResponseTierFilter.accepts("application/xml, text/*", JSON)).isFalse();
        assertThat(ResponseTierFilter.accepts("application/json;q=0, text/plain", JSON)).isFalse();
        assertThat(ResponseTierFilter.accepts("application/jsonx", JSON)).isFalse();
        assertThat(ResponseTierFilter.accepts("*/*, application/json;q=0", JSON)).isFalse();
        assertThat(ResponseTierFilter.accepts("application/json;q=0.001", JSON)).isTrue();
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        String etag = "\"abc\"";
        assertThat(ResponseTierFilter.matches(null, etag)).isFalse();
        assertThat(ResponseTierFilter.matches("\"abc\"", etag)).isTrue();
        assertThat(ResponseTierFilter.matches("W/\"abc\"", etag)).isTrue();
        assertThat(ResponseTierFilter.matches("\"x\", \"abc\"", etag)).isTrue();
        assertThat(ResponseTierFilter.matches("*", etag)).isTrue();
        assertThat(ResponseTierFilter.matches("\"abcd\"", etag)).isFalse();
        assertThat(ResponseTierFilter.matches("abc", etag)).isFalse();
    }
}
