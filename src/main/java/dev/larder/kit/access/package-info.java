/**
 * Access control with MicroProfile JWT, as the server provides it, made to answer like the rest of
 * the API. The application declares its roles and annotates what needs them ({@code @LoginConfig},
 * {@code @DeclareRoles}, {@code @RolesAllowed}); the server verifies the bearer token (RS256,
 * {@code mp.jwt.verify.publickey} or {@code mp.jwt.verify.publickey.location},
 * {@code mp.jwt.verify.issuer}) and maps its {@code groups} to roles. This package adds what the
 * server leaves out, checked on Payara Micro 6:
 * <ul>
 * <li>A request without a token reaches a protected method and gets a bare 401 from the runtime's
 * {@code @RolesAllowed} filter: {@link dev.larder.kit.access.boundary.BearerChallenge} adds
 * {@code WWW-Authenticate: Bearer}; the problem mapper writes the body. A token without the role is
 * 403.</li>
 * <li>A token that fails verification (bad signature, {@code alg: none} or HS256, expired, wrong
 * issuer, malformed) is refused by the server before any filter or JAX-RS, with
 * {@code sendError(401)}, on every path, anonymous ones included:
 * {@link dev.larder.kit.access.boundary.UnauthorizedPage}, the error page for 401 in web.xml, writes
 * problem+json with {@code WWW-Authenticate: Bearer error="invalid_token"}.</li>
 * <li>The server accepts a token whose {@code nbf} or {@code iat} lies in the future, and reads only
 * the first of several {@code Authorization} headers:
 * {@link dev.larder.kit.access.boundary.TokenChecks} refuses both.</li>
 * <li>The server's mechanism runs for every request and looks itself up through a stack walk before
 * it finds that there is no token: {@link dev.larder.kit.access.boundary.TokenlessRequests}, an
 * alternative mechanism, answers a request without the token header at once and hands every other
 * request to the server's mechanism unchanged.</li>
 * </ul>
 * Decisions: no key of our own and no token parsing of our own, so that the verification is the
 * server's, configured the standard way. Without a public key the application still deploys and
 * serves everything anonymous; every token is then invalid, so protected requests answer 401.
 * Headers larger than the HTTP layer accepts (about 8 KB in all) are refused by it with a bare 400
 * before the servlet container, where no error page applies.
 *
 * <p>Out of scope: issuing tokens, audiences ({@code mp.jwt.verify.audiences} works as the server
 * provides it), encrypted tokens, tokens in cookies.
 */
package dev.larder.kit.access;
