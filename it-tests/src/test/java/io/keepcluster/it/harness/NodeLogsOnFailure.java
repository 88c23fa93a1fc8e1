package io.keepcluster.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/** On a failed test, prints where every node log of the test class is, and the end of each. */
public final class NodeLogsOnFailure implements TestWatcher, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    testFailed(context, throwable);
    throw throwable;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    String test = context.getRequiredTestClass().getSimpleName();
    Path dir = ItPaths.logDir(test);
    StringBuilder b = new StringBuilder("[it] FAILED ").append(test).append(" > ")
        .append(context.getDisplayName()).append(": ").append(cause).append(System.lineSeparator())
        .append("[it] node logs in ").append(dir);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files.sorted()::iterator) {
          b.append(System.lineSeparator()).append("[it]   ").append(f);
          if (f.toString().endsWith(".log")) {
            for (String line : NodeProcess.tail(f, 15)) {
              b.append(System.lineSeparator()).append("[it]     | ").append(line);
            }
          }
        }
      } catch (IOException e) {
        b.append(" (cannot list: ").append(e.getMessage()).append(')');
      }
    }
    System.out.println(b);
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    testFailed(context, cause);
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {}

}
