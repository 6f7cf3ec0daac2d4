package dev.larder.kit.rest.boundary;

/**
 * An exception whose status and message are meant for the client, for parts of the kit that must
 * not depend on JAX-RS (servlet filters, sessions); {@link ProblemMapper} answers it as problem+json.
 */
public interface ClientVisible {

    int status();

    String getMessage();
}
