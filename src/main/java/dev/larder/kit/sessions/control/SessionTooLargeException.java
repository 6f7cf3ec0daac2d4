package dev.larder.kit.sessions.control;

import dev.larder.kit.rest.boundary.ClientVisible;

/** A change would make the session's attributes larger than {@code larder.sessions.max-bytes}: 413. */
public class SessionTooLargeException extends RuntimeException implements ClientVisible {

    public SessionTooLargeException(int size, int limit) {
        super("The session would hold " + size + " bytes; at most " + limit + " are allowed");
    }

    @Override
    public int status() {
        return 413;
    }
}
