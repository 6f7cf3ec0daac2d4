package dev.larder.testing;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * One HTTP call and how long it took, for tests that bound latency; a call that got no answer
 * (refused, reset, timed out) has status 0 and the error as its body.
 */
public record TimedAnswer(String label, Duration took, int status, String body, HttpResponse<String> response) {

    public static TimedAnswer of(String label, Callable<HttpResponse<String>> call) throws Exception {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = call.call();
            return new TimedAnswer(label, Duration.ofNanos(System.nanoTime() - start), response.statusCode(), response.body(), response);
        } catch (UncheckedIOException noAnswer) {
            return new TimedAnswer(label, Duration.ofNanos(System.nanoTime() - start), 0, String.valueOf(noAnswer.getCause()), null);
        }
    }

    public long millis() {
        return took.toMillis();
    }

    @Override
    public String toString() {
        return label + ": " + status + " after " + millis() + " ms" + (status == 200 ? "" : " " + abbreviated(body));
    }

    private static String abbreviated(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
