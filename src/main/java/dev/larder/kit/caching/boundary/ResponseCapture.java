package dev.larder.kit.caching.boundary;

import dev.larder.kit.caching.control.ResponseTier;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.Providers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Renders the entity of a {@link CachedResponse} answer into bytes once, with the writer JAX-RS
 * would have used, hands them to the request's {@link ResponseTier.Recording}, and lets JAX-RS write
 * those same bytes. Only when the recording can still be kept (every read so far a near-cache hit)
 * and the answer is a 200 with an entity and no cookie. Runs after the other response filters
 * (response filters run in descending priority), so it sees the final headers.
 */
@Provider
@CachedResponse
@Priority(10)
public class ResponseCapture implements ContainerResponseFilter {

    @Context
    Providers providers;

    @Context
    ResourceInfo resource;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        ResponseTier.Recording recording = ResponseTier.recording();
        if (recording == null || !recording.keepable() || !"GET".equals(request.getMethod()) || guarded()
                || response.getStatus() != 200 || !response.hasEntity()
                || response.getHeaders().containsKey(HttpHeaders.SET_COOKIE) || response.getMediaType() == null) {
            return;
        }
        MediaType type = response.getMediaType();
        Object entity = response.getEntity();
        MessageBodyWriter writer = providers.getMessageBodyWriter(response.getEntityClass(), response.getEntityType(),
                response.getEntityAnnotations(), type);
        if (writer == null) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(512);
        writer.writeTo(entity, response.getEntityClass(), response.getEntityType(), response.getEntityAnnotations(),
                type, response.getHeaders(), body);
        byte[] bytes = body.toByteArray();
        response.setEntity(bytes, response.getEntityAnnotations(), type);
        recording.rendered(bytes, type.toString(), response.getHeaderString(HttpHeaders.ETAG));
    }

    /**
     * A method or resource class that asks for a role is never kept: the tier answers before any
     * check, so what it keeps must be what anyone may read.
     */
    private boolean guarded() {
        java.lang.reflect.Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        return method == null || method.isAnnotationPresent(RolesAllowed.class) || method.isAnnotationPresent(DenyAll.class)
                || (type != null && (type.isAnnotationPresent(RolesAllowed.class) || type.isAnnotationPresent(DenyAll.class))
                && !method.isAnnotationPresent(PermitAll.class));
    }
}
