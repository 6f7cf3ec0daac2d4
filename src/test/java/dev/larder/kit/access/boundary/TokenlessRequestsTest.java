package dev.larder.kit.access.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request without a token is answered "nothing to do" without the server's mechanism; any request
 * with the header, whatever it holds, goes to the server's mechanism, whose answer stands. (That the
 * server's mechanism still verifies and refuses tokens over HTTP: CatalogIT's hostile-token tests and
 * the admin writes of every IT.)
 */
class TokenlessRequestsTest {

    final List<HttpServletRequest> asked = new ArrayList<>();
    final HttpAuthenticationMechanism server = (request, response, context) -> {
        asked.add(request);
        return AuthenticationStatus.SEND_FAILURE;
    };
    final HttpMessageContext context = (HttpMessageContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{HttpMessageContext.class},
            (proxy, method, args) -> "doNothing".equals(method.getName()) ? AuthenticationStatus.NOT_DONE : null);
    final HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{HttpServletResponse.class}, (proxy, method, args) -> null);

    static HttpServletRequest request(Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(TokenlessRequestsTest.class.getClassLoader(),
                new Class<?>[]{HttpServletRequest.class},
                (proxy, method, args) -> "getHeader".equals(method.getName()) ? headers.get((String) args[0]) : null);
    }

    @Test
    void aRequestWithoutATokenIsNothingToDoAndNeverReachesTheServersMechanism() throws Exception {
        AuthenticationStatus status = new TokenlessRequests(server, "Authorization").validateRequest(request(Map.of()), response, context);

        assertThat(status).isEqualTo(AuthenticationStatus.NOT_DONE);
        assertThat(asked).isEmpty();
    }

    @Test
    void theResponseOfARequestWithoutATokenIsSecuredWithoutTheServersMechanism() throws Exception {
        HttpAuthenticationMechanism refusing = new HttpAuthenticationMechanism() {
            @Override
            public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
                throw new AssertionError("the server's mechanism was asked to validate");
            }

            @Override
            public AuthenticationStatus secureResponse(HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
                throw new AssertionError("the server's mechanism was asked to secure the response");
            }
        };

        assertThat(new TokenlessRequests(refusing, "Authorization").secureResponse(request(Map.of()), response, context))
                .isEqualTo(AuthenticationStatus.SUCCESS);
    }

    @Test
    void aRequestWithTheHeaderGoesToTheServersMechanismWhateverItHolds() throws Exception {
        for (String value : List.of("Bearer forged.token.here", "Basic dXNlcjpwYXNz", "")) {
            HttpServletRequest request = request(Map.of("Authorization", value));

            AuthenticationStatus status = new TokenlessRequests(server, "Authorization").validateRequest(request, response, context);

            assertThat(status).as(value).isEqualTo(AuthenticationStatus.SEND_FAILURE);
            assertThat(asked.get(asked.size() - 1)).as(value).isSameAs(request);
        }
        assertThat(asked).hasSize(3);
    }
}
