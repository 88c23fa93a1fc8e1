package io.keepcluster.node.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the message's {@code key=value} fields as JSON string fields of the line, so
 * {@code jq 'select(.event=="login_ok")'} works on every existing log call without rewriting it.
 */
public final class KeyValueFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    for (Map.Entry<String, String> field : KeyValueFields.parse(event.getFormattedMessage()).entrySet()) {
      generator.writeStringField(field.getKey(), field.getValue());
    }
  }
}
