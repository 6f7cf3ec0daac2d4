package dev.larder.kit.rest.boundary;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes every error as {@code application/problem+json}: JAX-RS exceptions keep their status and
 * message, validation failures become 400 naming each field, anything unexpected is a 500 whose
 * detail says nothing internal (the cause goes to the log).
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(Throwable error) {
        if (error instanceof WebApplicationException web) {
            return web(web);
        }
        if (error instanceof ConstraintViolationException invalid) {
            return validation(invalid);
        }
        if (error instanceof ClientVisible visible) {
            Response.Status status = Response.Status.fromStatusCode(visible.status());
            return answer(new Problem(visible.status(), status == null ? "Error" : status.getReasonPhrase(), visible.getMessage()));
        }
        LOG.log(Level.SEVERE, "Unexpected error", error);
        return answer(new Problem(500, "Internal Server Error", "The server failed; the cause is in its log."));
    }

    private Response web(WebApplicationException error) {
        Response original = error.getResponse();
        Response.StatusType status = original.getStatusInfo();
        Response.ResponseBuilder answer = Response.fromResponse(original).entity(null);
        String detail = error.getMessage() == null || error.getMessage().startsWith("HTTP " + status.getStatusCode())
                ? ErrorPages.detail(status.getStatusCode(), status.getReasonPhrase(), requestPath())
                : error.getMessage();
        return answer.type(Problem.MEDIA_TYPE)
                .entity(new Problem(status.getStatusCode(), status.getReasonPhrase(), detail))
                .build();
    }

    private Response validation(ConstraintViolationException error) {
        List<Problem.FieldError> fields = error.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = "Invalid " + fields.stream().map(Problem.FieldError::field).distinct()
                .reduce((a, b) -> a + ", " + b).orElse("input");
        return answer(new Problem("about:blank", "Bad Request", 400, detail, fields));
    }

    /**
     * {@code create.arg0.priceCents} becomes {@code priceCents} and {@code create.arg0} becomes
     * {@code body}: clients know the fields they sent, not Java methods.
     */
    private static String field(ConstraintViolation<?> violation) {
        String[] parts = violation.getPropertyPath().toString().split("\\.");
        return parts.length > 2 ? String.join(".", Arrays.copyOfRange(parts, 2, parts.length)) : "body";
    }

    /** The path the client asked for, as it sent it (still encoded). */
    private String requestPath() {
        try {
            return uri.getRequestUri().getRawPath();
        } catch (RuntimeException outsideARequest) {
            return "?";
        }
    }

    static Response answer(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
