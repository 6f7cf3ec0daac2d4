package dev.larder.kit.sessions.control;

import dev.larder.kit.rest.boundary.ClientVisible;

/**
 * A session value the codec refuses to store (a type off the allow-list, an immutable collection):
 * a bug, not an outage, so 500 rather than 503; the type is in the server's log (once per type) and
 * in {@code larder_cache_codec_errors_total}, never in the answer.
 */
public class SessionCodecException extends RuntimeException implements ClientVisible {

    public SessionCodecException(Throwable cause) {
        super("The session could not be saved: it holds a value the server cannot store (a bug; the cause is in its log)", cause);
    }

    @Override
    public int status() {
        return 500;
    }
}
