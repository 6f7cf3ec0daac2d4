package dev.larder.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in the test JVM, in front of one target port, that a test can {@link #stall()}:
 * every connection stays open, new ones are still accepted, and no byte moves in either direction
 * until {@link #resume()} — what a partition or a hung network looks like to a client (nothing is
 * refused, nothing answers). Bytes sent meanwhile are held and flow on resume. Plain sockets and
 * daemon threads: two per connection.
 */
public final class TcpProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private final java.util.List<TcpProxy> alongside = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stalled;
    private volatile boolean closed;

    private TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 200, LOOPBACK);
        RedisServer.handedOut(server.getLocalPort());
    }

    /** A running proxy on a fresh loopback port in front of {@code 127.0.0.1:targetPort}. */
    public static TcpProxy start(int targetPort) throws IOException {
        TcpProxy proxy = new TcpProxy(targetPort);
        daemon("tcp-proxy-accept-" + proxy.port(), proxy::accept).start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted. */
    public void stall() {
        stalled = true;
        alongside.forEach(TcpProxy::stall);
    }

    /** Forwards again, starting with whatever was held during the stall. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
        alongside.forEach(TcpProxy::resume);
    }

    /**
     * Makes {@code others} stall, resume and close with this one: the proxies of every node of a
     * Redis Cluster, cut off together as one.
     */
    public TcpProxy together(java.util.List<TcpProxy> others) {
        alongside.addAll(others);
        return this;
    }

    /** The port it forwards to. */
    public int targetPort() {
        return targetPort;
    }

    public boolean stalled() {
        return stalled;
    }

    @Override
    public void close() {
        closed = true;
        resume();
        closeQuietly(server);
        sockets.forEach(TcpProxy::closeQuietly);
        alongside.forEach(TcpProxy::close);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemon("tcp-proxy-connect-" + port(), () -> connect(client)).start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("TcpProxy on port " + port() + " stopped accepting: " + e);
                }
                return;
            }
        }
    }

    /** Opens the upstream side once the gate is open (a stalled network lets no handshake through either). */
    private void connect(Socket client) {
        awaitOpenGate();
        Socket upstream;
        try {
            upstream = new Socket(LOOPBACK, targetPort);
        } catch (IOException refused) {
            closeQuietly(client); // the target is down: the client sees its connection closed
            return;
        }
        sockets.add(upstream);
        if (closed) {
            closeQuietly(upstream);
            closeQuietly(client);
            return;
        }
        daemon("tcp-proxy-up-" + port(), () -> pump(client, upstream)).start();
        daemon("tcp-proxy-down-" + port(), () -> pump(upstream, client)).start();
    }

    /**
     * Copies one direction, each chunk only while the gate is open. The end of either stream (also
     * held back during a stall) closes the whole connection: Redis clients never half-close.
     */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                awaitOpenGate();
                out.write(buffer, 0, read);
                out.flush();
            }
            awaitOpenGate();
        } catch (IOException closedOrReset) {
            // the connection is over either way
        }
        closeBoth(from, to);
    }

    private void closeBoth(Socket from, Socket to) {
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
    }

    /** Waits while stalled; ends at once when the proxy is closed. */
    private void awaitOpenGate() {
        synchronized (gate) {
            while (stalled && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception alreadyClosed) {
            // nothing to release
        }
    }
}
