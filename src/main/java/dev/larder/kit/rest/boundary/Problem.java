package dev.larder.kit.rest.boundary;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 *
 * @param errors the offending fields of a validation failure, else absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(int status, String title, String detail) {
        this("about:blank", title, status, detail, null);
    }

    /** One field that failed validation, named by its path in the request. */
    public record FieldError(String field, String message) {
    }
}
