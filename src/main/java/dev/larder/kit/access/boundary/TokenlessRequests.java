package dev.larder.kit.access.boundary;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.AuthenticationException;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The server's MP-JWT authentication, asked only for requests that carry a token. Jakarta Security
 * runs the application's authentication mechanism for every request; Payara's MP-JWT mechanism first
 * looks up its identity store through {@code CDI.current()} (a stack walk) and only then finds that
 * there is no token and does nothing: ~9 % of the CPU of a no-op request, anonymous reads included
 * (bench/RESULTS.md, issue 10). This mechanism, an alternative that the container picks over the
 * server's, answers "nothing to do" at once for a request without the token header
 * ({@code mp.jwt.token.header}, {@code Authorization} unless configured) — what the server's
 * mechanism answers for it too — and hands every other request, whatever its token, to the server's
 * mechanism unchanged: verification, refusals and roles stay the server's.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class TokenlessRequests implements HttpAuthenticationMechanism {

    private final String tokenHeader;

    @Inject
    BeanManager beans;

    private volatile HttpAuthenticationMechanism server;

    public TokenlessRequests() {
        this.tokenHeader = ConfigProvider.getConfig(TokenlessRequests.class.getClassLoader())
                .getOptionalValue("mp.jwt.token.header", String.class).orElse("Authorization");
    }

    /** With the server's mechanism and the token header given (tests). */
    TokenlessRequests(HttpAuthenticationMechanism server, String tokenHeader) {
        this.server = server;
        this.tokenHeader = tokenHeader;
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) throws AuthenticationException {
        if (!carriesToken(request)) {
            return context.doNothing();
        }
        return server().validateRequest(request, response, context);
    }

    /** The interface's own answer for a request without a token (the server's mechanism does not override it); the server's otherwise. */
    @Override
    public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response,
                                               HttpMessageContext context) throws AuthenticationException {
        if (!carriesToken(request)) {
            return HttpAuthenticationMechanism.super.secureResponse(request, response, context);
        }
        return server().secureResponse(request, response, context);
    }

    @Override
    public void cleanSubject(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
        if (!carriesToken(request)) {
            HttpAuthenticationMechanism.super.cleanSubject(request, response, context);
        } else {
            server().cleanSubject(request, response, context);
        }
    }

    private boolean carriesToken(HttpServletRequest request) {
        return request.getHeader(tokenHeader) != null;
    }

    /** The server's mechanism (MP-JWT's, added by {@code @LoginConfig(authMethod = "MP-JWT")}): the one that is not this. */
    HttpAuthenticationMechanism server() {
        HttpAuthenticationMechanism found = server;
        if (found == null) {
            List<Bean<?>> others = beans.getBeans(HttpAuthenticationMechanism.class).stream()
                    .filter(bean -> !TokenlessRequests.class.equals(bean.getBeanClass()))
                    .toList();
            if (others.size() != 1) {
                throw new IllegalStateException("Expected the server's MP-JWT authentication mechanism beside this one, found "
                        + others.stream().map(bean -> bean.getBeanClass().getName()).toList());
            }
            Bean<?> bean = others.get(0);
            found = (HttpAuthenticationMechanism) beans.getReference(bean, HttpAuthenticationMechanism.class,
                    beans.createCreationalContext(bean));
            server = found;
        }
        return found;
    }
}
