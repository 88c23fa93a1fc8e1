package io.keepcluster.node.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One listening port: the server instances that share it, as {@link HttpServers} started them. */
public final class Listener {

  private final PortSpec spec;
  private final int port;
  private final List<HttpServer> servers;

  Listener(PortSpec spec, int port, List<HttpServer> servers) {
    this.spec = spec;
    this.port = port;
    this.servers = List.copyOf(servers);
  }

  public PortSpec spec() {
    return spec;
  }

  /** The port actually bound (the configured one, or the one picked for 0). */
  public int port() {
    return port;
  }

  /** {@code api=https://127.0.0.1:8880}, for the start-up line. */
  public String address() {
    return spec.name() + "=" + (spec.tls() ? "https" : "http") + "://" + spec.host() + ":" + port;
  }

  /**
   * Stops accepting connections and closes each open one after its response in progress; what is
   * still open after {@code maxWait} is closed hard.
   */
  public Future<Void> shutdown(Duration maxWait) {
    return Future.join(servers.stream()
            .map(server -> server.shutdown(maxWait.toMillis(), TimeUnit.MILLISECONDS)).toList())
        .mapEmpty();
  }

  /**
   * Gives new connections a new certificate; open connections keep theirs. Instances sharing a
   * port share one TLS context, so the first update does the work and the others find it done.
   */
  public Future<Void> updateSsl(ServerSSLOptions options) {
    return Future.all(servers.stream().map(server -> server.updateSSLOptions(options, false)).toList())
        .mapEmpty();
  }
}
