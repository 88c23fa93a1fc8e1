package io.keepcluster.node.users;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Tells the directory when {@code users.json} may have changed (created, replaced by a rename,
 * modified, deleted), so it is read on change instead of polled. Events are hints: the
 * directory's pass compares the file's stamp and reads it only when it really changed.
 */
final class DirectoryWatch implements AutoCloseable {

  private final WatchService service;
  private final Thread thread;

  private DirectoryWatch(WatchService service, Thread thread) {
    this.service = service;
    this.thread = thread;
  }

  static DirectoryWatch start(Path usersFile, Runnable changed) throws IOException {
    Path folder = usersFile.getParent();
    String name = usersFile.getFileName().toString();
    WatchService service = FileSystems.getDefault().newWatchService();
    folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    Thread thread = new Thread(() -> {
      try {
        while (true) {
          WatchKey key = service.take();
          boolean relevant = false;
          for (WatchEvent<?> event : key.pollEvents()) {
            // OVERFLOW has no context: events were lost, so look anyway.
            relevant |= event.context() == null || name.equals(event.context().toString());
          }
          key.reset();
          if (relevant) {
            changed.run();
          }
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // closed
      }
    }, "keepcluster-users-watch");
    thread.setDaemon(true);
    thread.start();
    return new DirectoryWatch(service, thread);
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // nothing left to release
    }
    thread.interrupt();
  }
}
