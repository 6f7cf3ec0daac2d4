package dev.larder.kit.sessions.boundary;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.sessions.control.SessionRequest;
import dev.larder.kit.sessions.control.SessionSettings;
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
 * servlets and JAX-RS alike. The session's changes are written once, just before the response is
 * committed, so the client's next request (on any instance) sees them.
 */
public class SessionFilter extends HttpFilter {

    @Inject
    RedissonClient redisson;

    @Inject
    RedisBreaker breaker;

    @Inject
    Config config;

    private SessionStore store;
    private SessionSettings settings;
    private boolean enabled;

    @Override
    public void init() {
        store = new SessionStore(redisson);
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
        chain.doFilter(sessions, new CommittingResponse(response, sessions::commit));
        sessions.commit();
    }
}
