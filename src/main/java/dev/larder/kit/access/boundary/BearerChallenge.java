package dev.larder.kit.access.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Every 401 of the API says how to authenticate (RFC 9110, 11.6.1; RFC 6750, 3): the runtime's
 * {@code @RolesAllowed} filter answers a request without a token with a bare 401, which the problem
 * mapper turns into problem+json but cannot give a challenge it does not know. A 403 to a caller
 * with a valid token says that the token lacks the role ({@code error="insufficient_scope"}).
 */
@Provider
public class BearerChallenge implements ContainerResponseFilter {

    /** The challenge when no token came: RFC 6750 asks for no error code then. */
    static final String CHALLENGE = "Bearer";

    static String challenge(String error) {
        return CHALLENGE + " error=\"" + error + "\"";
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE)) {
            return;
        }
        if (response.getStatus() == 401) {
            response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        } else if (response.getStatus() == 403 && request.getSecurityContext().getUserPrincipal() != null) {
            response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, challenge("insufficient_scope"));
        }
    }
}
