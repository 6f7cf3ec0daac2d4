package dev.larder.kit.sessions.control;

import dev.larder.kit.rest.boundary.ClientVisible;

/** The session store (Redis) cannot be reached: 503 for requests that need a session. */
public class SessionUnavailableException extends RuntimeException implements ClientVisible {

    public SessionUnavailableException() {
        super("Sessions are unavailable right now; try again shortly");
    }

    @Override
    public int status() {
        return 503;
    }
}
