package dev.larder.kit.rest.boundary;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An {@code If-Match} precondition (RFC 9110, 13.1.1): {@code *} or a list of entity tags, compared
 * strongly, so a weak tag never matches. A failed precondition is 412 and must change nothing.
 */
public final class IfMatch {

    private final boolean any;
    private final List<String> tags;

    private IfMatch(boolean any, List<String> tags) {
        this.any = any;
        this.tags = tags;
    }

    /** The precondition of a request, empty when it has no {@code If-Match} header. */
    public static Optional<IfMatch> of(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        if (header.strip().equals("*")) {
            return Optional.of(new IfMatch(true, List.of()));
        }
        return Optional.of(new IfMatch(false, Arrays.stream(header.split(","))
                .map(String::strip)
                .filter(t -> t.length() >= 2 && t.startsWith("\"") && t.endsWith("\""))
                .map(t -> t.substring(1, t.length() - 1))
                .toList()));
    }

    /** Passes if {@code currentTag} (unquoted) matches; else 412 naming {@code what}. */
    public void require(String currentTag, String what) {
        if (!any && !tags.contains(currentTag)) {
            throw new ClientErrorException(what + " has changed since the version in If-Match; read it again and retry",
                    Response.Status.PRECONDITION_FAILED);
        }
    }
}
