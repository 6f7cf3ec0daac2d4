package dev.larder.kit.redis.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.redisson.RedissonShutdownException;
import org.redisson.client.RedisAuthRequiredException;
import org.redisson.client.RedisConnectionException;
import org.redisson.client.RedisException;
import org.redisson.client.RedisNodeNotFoundException;
import org.redisson.client.RedisReadonlyException;
import org.redisson.client.RedisReconnectedException;
import org.redisson.client.RedisRetryException;
import org.redisson.client.RedisTimeoutException;
import org.redisson.client.RedisWrongPasswordException;

/**
 * Tells the two kinds of Redis trouble apart. An <em>outage</em> is Redis being unreachable,
 * refused, paused, slow or failing over: nothing is wrong with the data, so the caller serves
 * without Redis and the {@link RedisBreaker} opens. A <em>codec error</em> is a value that cannot be
 * written or read back as allow-listed JSON (a type missing from the allow-list, a class renamed by
 * a rolling deploy, an immutable collection): Redis is fine, the entry is bad, and clearing near
 * caches or declaring Redis down would only hide the bug. Anything else is a bug of our own and is
 * not classified at all.
 */
public final class RedisFailures {

    private RedisFailures() {
    }

    /** A value could not be encoded to or decoded from Redis JSON. */
    public static boolean isCodecError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException || t instanceof CodecError) {
                return true;
            }
        }
        return false;
    }

    /**
     * Redis could not be reached, did not answer in time, or cannot serve right now (loading, busy,
     * failing over, read-only after a failover, shut down). An error Redis answered about the command
     * itself (a script error, a wrong type, out of memory for this write) is not an outage: Redis is
     * up, and opening the breaker for it would make every other caller pay for one bad command.
     */
    public static boolean isOutage(Throwable error) {
        if (isCodecError(error)) {
            return false;
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisConnectionException || t instanceof RedisTimeoutException || t instanceof RedisRetryException
                    || t instanceof RedisReadonlyException || t instanceof RedisNodeNotFoundException
                    || t instanceof RedisReconnectedException || t instanceof RedissonShutdownException
                    || t instanceof RedisAuthRequiredException || t instanceof RedisWrongPasswordException
                    || t instanceof TimeoutException || (t instanceof IOException && !(t instanceof JsonProcessingException))) {
                return true;
            }
        }
        return false;
    }

    /** An error Redis answered about one command (a script error, a wrong type...): a bug of ours, not an outage. */
    public static boolean isCommandError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }

    /** The simple name of the type a codec error is about, for logging once per type. */
    public static String codecSubject(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonCodec.DisallowedTypeException disallowed) {
                return disallowed.getOriginalMessage();
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return json.getClass().getSimpleName() + ": " + json.getOriginalMessage();
            }
        }
        return String.valueOf(error.getMessage());
    }

    /** A codec error, unwrapped from whatever Redisson or JCache wrapped it in. */
    public static class CodecError extends RuntimeException {
        public CodecError(Throwable cause) {
            super(codecSubject(cause), cause);
        }
    }
}
