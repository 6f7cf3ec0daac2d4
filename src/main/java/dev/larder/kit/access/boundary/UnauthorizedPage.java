package dev.larder.kit.access.boundary;

import dev.larder.kit.rest.boundary.Problem;
import dev.larder.kit.rest.boundary.Problems;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page for a 401 the container answers itself: MP-JWT checks a bearer token before any
 * filter or JAX-RS runs and rejects a bad one with {@code sendError(401)}, which would otherwise be
 * the server's HTML error report without a challenge. web.xml maps status 401 here. Reached only by
 * the container's error dispatch; a direct request finds nothing (404).
 */
@WebServlet(UnauthorizedPage.PATH)
public class UnauthorizedPage extends HttpServlet {

    static final String PATH = "/problems/unauthorized";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            Problems.write(response, new Problem(404, "Not Found", "Nothing is at " + request.getRequestURI()));
            return;
        }
        boolean tokenSent = request.getHeader("Authorization") != null;
        response.setHeader("WWW-Authenticate", tokenSent ? BearerChallenge.challenge("invalid_token") : BearerChallenge.CHALLENGE);
        Problems.write(response, new Problem(401, "Unauthorized", tokenSent
                ? "The bearer token is not valid: malformed, badly signed, expired or from an unknown issuer"
                : "This request needs a bearer token"));
    }
}
