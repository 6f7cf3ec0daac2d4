package dev.larder.kit.caching.boundary;

import dev.larder.kit.caching.control.ResponseTier;
import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Answers a {@code GET} from the {@link ResponseTier} before JAX-RS when it holds a current answer
 * for the URI: the kept bytes with their {@code ETag}, or 304 when {@code If-None-Match} names it.
 * A request whose {@code Accept} does not take the kept content type goes on to JAX-RS (which
 * answers it properly). Otherwise it records the request's cache reads, lets it through, and keeps
 * what the JAX-RS capture rendered if the answer is a 200 that sets no cookie. Mapped after the
 * rate limiter (a kept answer is still a request) and before the session filter (a kept answer
 * never touches a session).
 */
public class ResponseTierFilter implements Filter {

    @Inject
    ResponseTier tier;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!tier.enabled() || !"GET".equals(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        String query = request.getQueryString();
        String uri = query == null ? request.getRequestURI() : request.getRequestURI() + '?' + query;
        ResponseTier.Rendered kept = tier.current(uri);
        if (kept != null && accepts(request.getHeader("Accept"), kept.contentType())) {
            tier.served(kept);
            answer(request, response, kept);
            return;
        }
        ResponseTier.Recording recording = ResponseTier.record();
        try {
            chain.doFilter(req, res);
        } finally {
            ResponseTier.stopRecording();
        }
        if (response.getStatus() == HttpServletResponse.SC_OK && !response.containsHeader("Set-Cookie")
                && !request.isAsyncStarted()) {
            tier.keep(uri, recording);
        }
    }

    private static void answer(HttpServletRequest request, HttpServletResponse response, ResponseTier.Rendered kept)
            throws IOException {
        if (kept.etag() != null) {
            response.setHeader("ETag", kept.etag());
            if (matches(request.getHeader("If-None-Match"), kept.etag())) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(kept.contentType());
        response.setContentLength(kept.body().length);
        response.getOutputStream().write(kept.body());
    }

    /**
     * Whether an {@code Accept} header takes {@code contentType}: no header, or a range naming the
     * type itself, its {@code type/*} or {@code *}{@code /*} with a quality above 0.
     */
    static boolean accepts(String accept, String contentType) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT);
        int semicolon = type.indexOf(';');
        String bare = semicolon < 0 ? type : type.substring(0, semicolon).trim();
        String family = bare.substring(0, bare.indexOf('/') + 1) + "*";
        boolean exactSeen = false;
        boolean taken = false;
        for (String range : accept.toLowerCase(java.util.Locale.ROOT).split(",")) {
            String[] parts = range.split(";");
            String media = parts[0].trim();
            if (!media.equals(bare) && !media.equals(family) && !media.equals("*/*")) {
                continue;
            }
            boolean positive = quality(parts) > 0;
            if (media.equals(bare)) { // the most specific range decides
                exactSeen = true;
                taken = positive;
            } else if (!exactSeen) {
                taken |= positive;
            }
        }
        return taken;
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0; // a malformed quality: leave the request to JAX-RS
                }
            }
        }
        return 1;
    }

    /** {@code If-None-Match} (weak comparison, as RFC 9110 asks for it): {@code *} or a list naming the tag. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String opaque = etag.startsWith("W/") ? etag.substring(2) : etag;
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }
}
