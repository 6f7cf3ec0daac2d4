package dev.larder.kit.access.boundary;

import jakarta.annotation.Priority;
import jakarta.json.JsonNumber;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What the server's MP-JWT leaves unchecked, checked before any resource runs: a request with more
 * than one {@code Authorization} header is 400 (the server would read only the first), and a token
 * that is not valid yet ({@code nbf} or {@code iat} later than now plus the clock skew, RFC 7519,
 * 4.1.5) is 401 — Payara 6 verifies {@code exp} but accepts such a token.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenChecks implements ContainerRequestFilter {

    /** The allowance for clocks that differ, the setting the server uses for {@code exp} (MP-JWT 2.1: 60 s). */
    private final long skewSeconds;

    public TokenChecks() {
        this(ConfigProvider.getConfig(TokenChecks.class.getClassLoader()).getOptionalValue("mp.jwt.verify.clock.skew", Long.class).orElse(60L));
    }

    TokenChecks(long skewSeconds) {
        this.skewSeconds = skewSeconds;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.size() > 1) {
            throw new BadRequestException("Send one Authorization header, not " + authorization.size(),
                    Response.status(400).header(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.challenge("invalid_request")).build());
        }
        Principal caller = request.getSecurityContext().getUserPrincipal();
        if (caller instanceof JsonWebToken token && notYetValid(token, Instant.now())) {
            throw new NotAuthorizedException("The bearer token is not valid yet (nbf or iat in the future)",
                    BearerChallenge.challenge("invalid_token"));
        }
    }

    boolean notYetValid(JsonWebToken token, Instant now) {
        long latest = now.getEpochSecond() + skewSeconds;
        return seconds(token.getClaim(Claims.nbf.name())) > latest || seconds(token.getClaim(Claims.iat.name())) > latest;
    }

    /** A NumericDate claim, whether the server hands it on as a number or as JSON; absent is "long ago". */
    private static long seconds(Object claim) {
        if (claim instanceof Number number) {
            return number.longValue();
        }
        return claim instanceof JsonNumber number ? number.longValue() : Long.MIN_VALUE;
    }
}
