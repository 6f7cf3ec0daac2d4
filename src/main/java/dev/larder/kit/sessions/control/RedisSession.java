package dev.larder.kit.sessions.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.larder.kit.json.JsonMappers;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpSession;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One request's view of a session stored in Redis: attributes are read once when the request
 * first asks for the session, changes are collected and written once by the filter. Not shared
 * between requests.
 */
public class RedisSession implements HttpSession {

    private String id;
    private final boolean isNew;
    private final long creationTime;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final Map<String, Integer> sizes = new HashMap<>();
    private final Map<String, Object> changed = new LinkedHashMap<>();
    private final Set<String> removed = new HashSet<>();
    private final SessionSettings settings;
    private final ServletContext context;
    private final Runnable onInvalidate;
    private boolean invalid;
    private boolean stored;

    RedisSession(String id, boolean isNew, Map<String, Object> stored, SessionSettings settings, ServletContext context,
                 Runnable onInvalidate) {
        this.id = id;
        this.isNew = isNew;
        this.settings = settings;
        this.context = context;
        this.onInvalidate = onInvalidate;
        this.stored = !isNew;
        Object created = stored.get(SessionStore.CREATED);
        this.creationTime = created instanceof Long millis ? millis : System.currentTimeMillis();
        stored.forEach((name, value) -> {
            if (!name.startsWith("@")) {
                attributes.put(name, value);
            }
        });
        if (isNew) {
            changed.put(SessionStore.CREATED, creationTime);
        }
    }

    @Override
    public String getId() {
        return id;
    }

    void renamed(String newId) {
        this.id = newId;
    }

    @Override
    public long getCreationTime() {
        requireValid();
        return creationTime;
    }

    @Override
    public long getLastAccessedTime() {
        requireValid();
        return System.currentTimeMillis();
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public void setMaxInactiveInterval(int interval) {
        throw new UnsupportedOperationException("the session timeout is larder.sessions.timeout for every session");
    }

    @Override
    public int getMaxInactiveInterval() {
        return (int) settings.timeout().toSeconds();
    }

    @Override
    public Object getAttribute(String name) {
        requireValid();
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        requireValid();
        return Collections.enumeration(Set.copyOf(attributes.keySet()));
    }

    /** Stores the attribute (JSON through the allow-list); refuses a change that would outgrow the limit. */
    @Override
    public void setAttribute(String name, Object value) {
        requireValid();
        if (value == null) {
            removeAttribute(name);
            return;
        }
        int size = size(value);
        int total = attributes.keySet().stream().filter(n -> !n.equals(name)).mapToInt(this::sizeOf).sum() + size;
        if (total > settings.maxBytes()) {
            throw new SessionTooLargeException(total, settings.maxBytes());
        }
        attributes.put(name, value);
        sizes.put(name, size);
        changed.put(name, value);
        removed.remove(name);
    }

    @Override
    public void removeAttribute(String name) {
        requireValid();
        if (attributes.remove(name) != null) {
            changed.remove(name);
            removed.add(name);
        }
    }

    @Override
    public void invalidate() {
        requireValid();
        invalid = true;
        onInvalidate.run();
    }

    @Override
    public boolean isNew() {
        requireValid();
        return isNew;
    }

    boolean isInvalid() {
        return invalid;
    }

    /** Another request invalidated or rotated the session (or it expired): this request's view is dead too. */
    void endedElsewhere() {
        invalid = true;
    }

    Map<String, Object> changed() {
        return changed;
    }

    Set<String> removed() {
        return removed;
    }

    /**
     * Whether the session is in Redis (it was loaded, or saved by this request): from then on a save
     * may only update it, never create it again.
     */
    boolean stored() {
        return stored;
    }

    /** The request's changes are in Redis. */
    void saved() {
        stored = true;
        changed.clear();
        removed.clear();
    }

    private int sizeOf(String name) {
        return sizes.computeIfAbsent(name, n -> size(attributes.get(n)));
    }

    private static int size(Object value) {
        try {
            return JsonMappers.storage().writeValueAsBytes(value).length;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("session attributes must be JSON-serializable: " + value.getClass(), e);
        }
    }

    private void requireValid() {
        if (invalid) {
            throw new IllegalStateException("the session was invalidated");
        }
    }
}
