package dev.larder.kit.rest.boundary;

import dev.larder.kit.json.JsonMappers;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes a problem+json answer from a servlet filter, outside JAX-RS. */
public final class Problems {

    private Problems() {
    }

    public static void write(HttpServletResponse response, Problem problem) throws IOException {
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE); // JSON is UTF-8 by definition: no charset parameter
        response.getOutputStream().write(JsonMappers.strict().writeValueAsBytes(problem));
    }
}
