package dev.larder.kit.sessions.boundary;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Runs a hook once, when the application first reaches for the body (or flushes, errors or
 * redirects), so that the session is in Redis before the client can see the answer and send its
 * next request: the fallback for servlets other than JAX-RS (whose requests are committed earlier,
 * by {@link SessionCommitFilter}). The body stream itself is the container's own, unwrapped. A hook
 * that fails throws out of the method that ran it, before anything of the body is out, and
 * {@link SessionFilter} answers 503 if the servlet lets it through. A session changed after the body
 * was opened (a streamed answer) is written when the request ends.
 */
class CommittingResponse extends HttpServletResponseWrapper {

    private final Runnable beforeBody;
    private boolean ran;

    CommittingResponse(HttpServletResponse response, Runnable beforeBody) {
        super(response);
        this.beforeBody = beforeBody;
    }

    private void beforeBody() {
        if (!ran) {
            ran = true;
            beforeBody.run();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        beforeBody();
        return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        beforeBody();
        return super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        beforeBody();
        super.flushBuffer();
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        beforeBody();
        super.sendError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        beforeBody();
        super.sendError(status);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        beforeBody();
        super.sendRedirect(location);
    }
}
