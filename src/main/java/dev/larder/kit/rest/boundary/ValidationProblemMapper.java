package dev.larder.kit.rest.boundary;

import jakarta.validation.ValidationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Takes validation failures away from the JAX-RS runtime's own mapper (which is closer in type than
 * {@link ProblemMapper}'s {@code Throwable}) and hands them to {@link ProblemMapper}.
 */
@Provider
public class ValidationProblemMapper implements ExceptionMapper<ValidationException> {

    private final ProblemMapper problems = new ProblemMapper();

    @Override
    public Response toResponse(ValidationException error) {
        return problems.toResponse(error);
    }
}
