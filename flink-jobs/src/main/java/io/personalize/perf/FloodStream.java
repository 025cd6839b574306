package io.personalize.perf;

import io.personalize.connectors.data.Dataset;
import io.personalize.connectors.data.Interaction;
import io.personalize.connectors.data.SyntheticData;
import io.personalize.connectors.data.ZipfStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A flood of one-event users: {@link ZipfStream}'s items and ratings, each event given a user of
 * its own ({@code "f0".."f<users-1>"}) and event times {@code spacing} apart, so a short idle
 * expiry forgets the early users while the flood goes on.
 */
final class FloodStream {
  private FloodStream() {}

  static Dataset generate(FloodSettings settings) {
    Dataset zipf =
        ZipfStream.generate(
            settings.seed(), settings.users(), 1, settings.items(), settings.exponent());
    long spacing = settings.spacing().toMillis();
    List<Interaction> events = new ArrayList<>(settings.users());
    for (int e = 0; e < settings.users(); e++) {
      Interaction drawn = zipf.interactions().get(e);
      events.add(
          new Interaction(
              "f" + e, drawn.itemId(), drawn.value(), SyntheticData.START_MILLIS + e * spacing));
    }
    return new Dataset("flood", "generated", events, Map.of(), zipf.scale());
  }
}
