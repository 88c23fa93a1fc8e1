package io.keepcluster.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free ports on 127.0.0.1: one at a time, or a whole block for local-cluster.sh's base port. */
final class FreePorts {

  private FreePorts() {}

  static int one() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }

  /** A base port B with B..B+size-1 all free now (another process may still take one later). */
  static int block(int size) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(0, 2000) * 20;
      if (allFree(base, size)) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + size + " free ports on 127.0.0.1");
  }

  private static boolean allFree(int base, int size) {
    for (int port = base; port < base + size; port++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
