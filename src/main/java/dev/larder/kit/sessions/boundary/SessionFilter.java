package dev.larder.kit.sessions.boundary;

import dev.larder.kit.redis.control.CodecErrors;
import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.rest.boundary.ClientVisible;
import dev.larder.kit.rest.boundary.Problem;
import dev.larder.kit.rest.boundary.Problems;
import dev.larder.kit.sessions.control.SessionCodecException;
import dev.larder.kit.sessions.control.SessionRequest;
import dev.larder.kit.sessions.control.SessionSettings;
import dev.larder.kit.sessions.control.SessionUnavailableException;
import dev.larder.kit.sessions.control.SessionStore;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.Config;
import org.redisson.api.RedissonClient;

/**
 * Gives every request an {@code HttpSession} stored in Redis (mapped in {@code web.xml}), for
 * servlets and JAX-RS alike. The session's changes are written once, before the response is
 * committed, so the client's next request (on any instance) sees them: for JAX-RS by
 * {@link SessionCommitFilter} (a failure there becomes the answer), for other servlets by
 * {@link CommittingResponse} when the body opens. Redis failing there throws
 * {@link SessionUnavailableException} out of {@code getOutputStream()}/{@code getWriter()}; if the
 * servlet lets it through, this filter answers 503 problem+json in place of whatever the servlet had
 * set (nothing of its body is out yet). A value the codec refuses ({@link SessionCodecException}, a
 * bug) is answered the same way, as 500. Whatever changed after the body opened is written when the
 * request ends; a failure then, with the answer committed, is left to the container.
 */
public class SessionFilter extends HttpFilter {

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    Config config;

    @Inject
    CodecErrors codecErrors;

    private SessionStore store;
    private SessionSettings settings;
    private boolean enabled;

    @Override
    public void init() {
        store = new SessionStore(redisson, codecErrors);
        settings = SessionSettings.of(key -> config.getOptionalValue(key, String.class));
        enabled = config.getOptionalValue("larder.sessions.enabled", Boolean.class).orElse(true);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!enabled) {
            chain.doFilter(request, response);
            return;
        }
        SessionRequest sessions = new SessionRequest(request, response, store, settings, breaker);
        try {
            chain.doFilter(sessions, new CommittingResponse(response, sessions::commit));
            sessions.commit();
        } catch (SessionUnavailableException | SessionCodecException failed) {
            if (response.isCommitted()) {
                throw failed; // part of the answer is out: the container ends it as it can
            }
            response.reset();
            int status = ((ClientVisible) failed).status();
            Problems.write(response, new Problem(status, status == 503 ? "Service Unavailable" : "Internal Server Error",
                    failed.getMessage()));
        }
    }
}
