package dev.larder.kit.sessions.boundary;

import dev.larder.kit.rest.boundary.ProblemMapper;
import dev.larder.kit.sessions.control.SessionRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;

/**
 * Writes the session of a JAX-RS request to Redis after the resource (or an exception mapper) has
 * answered and before the answer is written, so that a failure can still change the answer: Redis
 * unavailable becomes a complete 503 problem+json (instead of the resource's answer, whose session
 * change was not saved), a value the codec refuses a 500 problem+json (a bug: counted in
 * {@code larder_cache_codec_errors_total} and logged once per type, never taken for an outage). The
 * request's {@link SessionRequest} is found through the request attribute that {@link SessionFilter}
 * sets (a servlet attribute is a request property in JAX-RS).
 */
@Provider
public class SessionCommitFilter implements ContainerResponseFilter {

    private final ProblemMapper problems = new ProblemMapper();

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(SessionRequest.ATTRIBUTE) instanceof SessionRequest sessions)) {
            return;
        }
        try {
            sessions.commit();
        } catch (RuntimeException failed) {
            replace(response, problems.toResponse(failed));
        }
    }

    /** The answer becomes the problem: its status, body and content type, none of the original headers. */
    static void replace(ContainerResponseContext response, Response problem) {
        response.getHeaders().clear();
        response.setStatus(problem.getStatus());
        response.setEntity(problem.getEntity(), new Annotation[0], problem.getMediaType());
    }
}
