package io.keepcluster.it.harness;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every node process the tests started and have not yet seen exit. A JVM shutdown hook kills
 * whatever is left, so a crashed or interrupted test run leaves no node behind (only
 * {@code kill -9} of the test JVM itself can defeat it).
 */
final class LiveProcesses {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(LiveProcesses::killAll, "it-kill-nodes"));
  }

  private LiveProcesses() {}

  static void register(Process process) {
    LIVE.add(process);
  }

  static void forget(Process process) {
    LIVE.remove(process);
  }

  static void killAll() {
    for (Process p : LIVE) {
      resumeQuietly(p);
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    LIVE.clear();
  }

  /** A SIGSTOPped process still dies on SIGKILL, but resume it so nothing waits on it. */
  static void resumeQuietly(Process p) {
    if (!p.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start().waitFor();
    } catch (Exception ignored) {
      // best effort at shutdown: SIGKILL follows anyway
    }
  }
}
