package dev.larder.kit.sessions.boundary;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.Charset;

/**
 * Runs a hook once, right before the first byte of the body or any other commit of the response,
 * so that the session is in Redis before the client can see the answer and send its next request.
 */
class CommittingResponse extends HttpServletResponseWrapper {

    private final Runnable beforeCommit;
    private boolean ran;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CommittingResponse(HttpServletResponse response, Runnable beforeCommit) {
        super(response);
        this.beforeCommit = beforeCommit;
    }

    private void beforeCommit() {
        if (!ran) {
            ran = true;
            beforeCommit.run();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream target = super.getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    beforeCommit();
                    target.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    beforeCommit();
                    target.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    beforeCommit();
                    target.flush();
                }

                @Override
                public void close() throws IOException {
                    beforeCommit();
                    target.close();
                }

                @Override
                public boolean isReady() {
                    return target.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    target.setWriteListener(listener);
                }
            };
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), Charset.forName(getCharacterEncoding())));
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        beforeCommit();
        super.flushBuffer();
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        beforeCommit();
        super.sendError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        beforeCommit();
        super.sendError(status);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        beforeCommit();
        super.sendRedirect(location);
    }
}
