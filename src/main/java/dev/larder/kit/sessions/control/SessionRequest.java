package dev.larder.kit.sessions.control;

import dev.larder.kit.redis.control.RedisBreaker;
import dev.larder.kit.redis.control.RedisFailures;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A request whose {@link #getSession} answers from Redis. Lazy: nothing is read or written unless
 * the application asks for the session; {@link #commit()} writes the request's changes once.
 */
public class SessionRequest extends HttpServletRequestWrapper {

    /** The request attribute under which the filter leaves this wrapper, for {@code SessionCommitFilter}. */
    public static final String ATTRIBUTE = SessionRequest.class.getName();

    private static final Logger LOG = Logger.getLogger(SessionRequest.class.getName());

    private final SessionStore store;
    private final SessionSettings settings;
    private final RedisBreaker breaker;
    private final HttpServletResponse response;
    private String requestedId;
    private boolean cookieRead;
    private RedisSession session;
    private boolean looked;
    private boolean committed;
    private boolean abandoned;

    public SessionRequest(HttpServletRequest request, HttpServletResponse response, SessionStore store,
                          SessionSettings settings, RedisBreaker breaker) {
        super(request);
        this.response = response;
        this.store = store;
        this.settings = settings;
        this.breaker = breaker;
    }

    /**
     * The session id the request's cookie names, if well formed; read on first use, so that a request
     * that never asks for its session costs no cookie parsing.
     */
    private String requestedId() {
        if (!cookieRead) {
            cookieRead = true;
            Cookie[] cookies = getCookies();
            for (int i = 0; cookies != null && i < cookies.length && requestedId == null; i++) {
                if (cookies[i].getName().equals(settings.cookieName()) && SessionStore.wellFormed(cookies[i].getValue())) {
                    requestedId = cookies[i].getValue();
                }
            }
        }
        return requestedId;
    }

    /**
     * This wrapper itself under {@link #ATTRIBUTE} (how {@code SessionCommitFilter} finds it: a servlet
     * attribute is a request property in JAX-RS), without storing an attribute in every request.
     */
    @Override
    public Object getAttribute(String name) {
        return ATTRIBUTE.equals(name) ? this : super.getAttribute(name);
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
        if (!looked && requestedId() != null) {
            looked = true;
            Map<String, Object> stored = redisAsync(() -> store.loadAsync(requestedId));
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

    /**
     * Moves the session to a fresh id (and the cookie with it); the old id stops working at once,
     * also for requests still in flight on it. A session this request created and never stored only
     * changes its id in memory.
     *
     * @throws IllegalStateException if there is no session, or another request ended it meanwhile
     */
    @Override
    public String changeSessionId() {
        RedisSession current = (RedisSession) getSession(false);
        if (current == null) {
            throw new IllegalStateException("no session to change the id of");
        }
        if (!current.stored()) {
            current.renamed(SessionStore.newId());
        } else {
            String newId = redis(() -> store.rotate(current.getId(), current.changed(), current.removed(), settings.timeout()));
            if (newId == null) {
                current.endedElsewhere();
                throw new IllegalStateException("the session was invalidated or rotated by another request");
            }
            current.renamed(newId);
            current.saved();
        }
        cookie(current.getId(), (int) settings.timeout().toSeconds());
        return current.getId();
    }

    @Override
    public String getRequestedSessionId() {
        return requestedId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        HttpSession current = getSession(false);
        return current != null && current.getId().equals(requestedId());
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return requestedId() != null;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    /**
     * Writes what changed since the last commit and slides the expiry; called before the response is
     * committed (by {@code SessionCommitFilter} for JAX-RS, else when the body opens) and when the
     * request ends, so usually once (a later call finds nothing to write unless a streamed answer
     * changed the session meanwhile). Writes nothing if another request invalidated or rotated the
     * session meanwhile (or it expired): then this request's changes are dropped and the session
     * counts as ended for the rest of the request. After a failure, later calls do nothing.
     *
     * @throws SessionUnavailableException if Redis is unavailable (the request's changes are lost)
     * @throws SessionCodecException if a changed value cannot be stored (nothing is written)
     */
    public void commit() {
        if (session == null || session.isInvalid() || abandoned
                || (committed && session.changed().isEmpty() && session.removed().isEmpty())) {
            return;
        }
        committed = true;
        RedisSession current = session;
        boolean written;
        try {
            written = redisAsync(() -> store.saveAsync(current.getId(), !current.stored(), current.changed(), current.removed(),
                    settings.timeout()));
        } catch (RuntimeException e) {
            abandoned = true;
            throw e;
        }
        if (written) {
            current.saved();
        } else {
            LOG.fine("A session ended while a request was using it; the request's changes are dropped");
            current.endedElsewhere();
        }
    }

    private RedisSession open(String id, boolean isNew, Map<String, Object> stored) {
        return new RedisSession(id, isNew, stored, settings, getServletContext(), () -> {
            String current = session.getId(); // the one being invalidated: its id may have changed since it was opened
            redis(() -> {
                store.delete(current);
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

    /** Like {@link #redis}, for a call the shared breaker can stop waiting for when it opens. */
    private <T> T redisAsync(java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
        Optional<T> result;
        try {
            result = breaker.callAsync("use a session", () -> call.get().thenApply(Optional::ofNullable), null);
        } catch (RedisFailures.CodecError e) {
            throw codecError(e);
        }
        if (result == null) {
            throw new SessionUnavailableException();
        }
        return result.orElse(null);
    }

    /**
     * Redis unavailable (or the shared breaker open) becomes a 503 for this request; the breaker logs
     * the outage once. A value the codec refuses is a bug, not an outage: counted and logged once per
     * type, and a 500 for this request; the breaker stays as it is.
     */
    private <T> T redis(java.util.function.Supplier<T> call) {
        Optional<T> result;
        try {
            result = breaker.call("use a session", () -> Optional.ofNullable(call.get()), null);
        } catch (RedisFailures.CodecError e) {
            throw codecError(e);
        }
        if (result == null) {
            throw new SessionUnavailableException();
        }
        return result.orElse(null);
    }

    private SessionCodecException codecError(RedisFailures.CodecError error) {
        store.codecErrors().record("store a session", error);
        return new SessionCodecException(error);
    }
}
