package dev.larder.kit.rest.boundary;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.Response;
import java.io.IOException;

/**
 * The container's error page ({@code web.xml} maps every error here): what the server answers before
 * or outside JAX-RS (an unmatched path, a malformed one, a security constraint, an uncaught
 * exception) is {@code application/problem+json} too, never an HTML page. The status is the one the
 * container chose; the detail names what was not found and says nothing internal.
 */
@WebServlet(urlPatterns = ErrorPages.PATH)
public class ErrorPages extends HttpServlet {

    static final String PATH = "/larder-error";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number && number >= 400 ? number : 404;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        Problems.write(response, new Problem(status, title, detail(status, title, path)));
    }

    static String detail(int status, String title, String path) {
        String shown = path.length() > 200 ? path.substring(0, 200) + "..." : path;
        return switch (status) {
            case 404 -> "Nothing at '" + shown + "'";
            case 405 -> "Method not allowed on '" + shown + "'";
            case 500 -> "The server failed; the cause is in its log.";
            default -> title + ": '" + shown + "'";
        };
    }
}
