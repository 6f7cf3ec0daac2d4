package dev.larder.kit.sessions.control;

import dev.larder.kit.redis.control.RedisBreaker;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A request whose {@link #getSession} answers from Redis. Lazy: nothing is read or written unless
 * the application asks for the session; {@link #commit()} writes the request's changes once.
 */
public class SessionRequest extends HttpServletRequestWrapper {

    private final SessionStore store;
    private final SessionSettings settings;
    private final RedisBreaker breaker;
    private final HttpServletResponse response;
    private final String requestedId;
    private RedisSession session;
    private boolean looked;
    private boolean committed;

    public SessionRequest(HttpServletRequest request, HttpServletResponse response, SessionStore store,
                          SessionSettings settings, RedisBreaker breaker) {
        super(request);
        this.response = response;
        this.store = store;
        this.settings = settings;
        this.breaker = breaker;
        this.requestedId = Optional.ofNullable(request.getCookies()).stream().flatMap(Arrays::stream)
                .filter(c -> c.getName().equals(settings.cookieName()))
                .map(Cookie::getValue)
                .filter(SessionStore::wellFormed)
                .findFirst().orElse(null);
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public HttpSession getSession(boolean create) {
        if (session != null && !session.isInvalid()) {
            return session;
        }
        if (!looked && requestedId != null) {
            looked = true;
            Map<String, Object> stored = redis(() -> store.load(requestedId));
            if (!stored.isEmpty()) {
                session = open(requestedId, false, stored);
                return session;
            }
        }
        if (!create) {
            return null;
        }
        session = open(SessionStore.newId(), true, Map.of());
        cookie(session.getId(), (int) settings.timeout().toSeconds());
        return session;
    }

    @Override
    public String changeSessionId() {
        RedisSession current = (RedisSession) getSession(false);
        if (current == null) {
            throw new IllegalStateException("no session to change the id of");
        }
        String newId = redis(() -> store.rotate(current.getId(), current.entries(), settings.timeout()));
        current.renamed(newId);
        current.changed().clear();
        current.removed().clear();
        cookie(newId, (int) settings.timeout().toSeconds());
        return newId;
    }

    @Override
    public String getRequestedSessionId() {
        return requestedId;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        HttpSession current = getSession(false);
        return current != null && current.getId().equals(requestedId);
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return requestedId != null;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    /**
     * Writes what changed since the last commit; called when the body opens and when the request
     * ends, so usually once (the second call finds nothing to write unless a streamed answer
     * changed the session meanwhile).
     */
    public void commit() {
        if (session == null || session.isInvalid() || (committed && session.changed().isEmpty() && session.removed().isEmpty())) {
            return;
        }
        committed = true;
        redis(() -> {
            store.save(session.getId(), session.changed(), session.removed(), settings.timeout());
            return null;
        });
        session.changed().clear();
        session.removed().clear();
    }

    private RedisSession open(String id, boolean isNew, Map<String, Object> stored) {
        return new RedisSession(id, isNew, stored, settings, getServletContext(), () -> {
            redis(() -> {
                store.delete(id);
                return null;
            });
            cookie("", 0);
        });
    }

    private void cookie(String value, int maxAge) {
        Cookie cookie = new Cookie(settings.cookieName(), value);
        cookie.setPath(getContextPath().isEmpty() ? "/" : getContextPath());
        cookie.setHttpOnly(settings.httpOnly());
        cookie.setSecure(settings.secure());
        cookie.setMaxAge(maxAge);
        cookie.setAttribute("SameSite", settings.sameSite());
        response.addCookie(cookie);
    }

    /**
     * Redis unavailable (or the shared breaker open) becomes a 503 for this request; the breaker logs
     * the outage once. A codec error is a bug and propagates as one.
     */
    private <T> T redis(java.util.function.Supplier<T> call) {
        Optional<T> result = breaker.call("use a session", () -> Optional.ofNullable(call.get()), null);
        if (result == null) {
            throw new SessionUnavailableException();
        }
        return result.orElse(null);
    }
}
