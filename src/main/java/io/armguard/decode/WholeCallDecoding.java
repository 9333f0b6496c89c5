package io.armguard.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link ContinuousDecoding} for an engine that can only decode whole batches ({@link
 * GuidedEngine#generate}): each {@link #iterate} decodes what was admitted (up to the row limit) as
 * one batch, the requests asked to run alone one by one. Rows join between batches, not between
 * tokens; {@link DecodingEngine} does better ({@link RollingDecoder}).
 */
final class WholeCallDecoding implements ContinuousDecoding {

  private record Row(DecodeRequest request, boolean alone, Listener listener) {}

  private final GuidedEngine engine;
  private final int maxRows;
  private final Admissions<Row> admitted = new Admissions<>();

  WholeCallDecoding(GuidedEngine engine, int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
    }
    this.engine = engine;
    this.maxRows = maxRows;
  }

  @Override
  public void admit(DecodeRequest request, boolean alone, Listener listener) {
    if (!engine.supports(request.strategy())) {
      throw new IllegalArgumentException(
          "no reward model loaded for strategy " + request.strategy());
    }
    admitted.add(new Row(request, alone, listener));
  }

  @Override
  public int rows() {
    return admitted.rows();
  }

  @Override
  public Stats stats() {
    return admitted.stats();
  }

  @Override
  public int iterate() {
    List<Row> together = new ArrayList<>();
    List<Row> alone = new ArrayList<>();
    Row r;
    while (together.size() + alone.size() < maxRows && (r = admitted.poll()) != null) {
      (r.alone() ? alone : together).add(r);
    }
    int n = together.size() + alone.size();
    if (!together.isEmpty()) {
      decode(together);
    }
    alone.forEach(row -> decode(List.of(row)));
    return n;
  }

  private void decode(List<Row> rows) {
    List<DecodeResult> results;
    try {
      results = engine.generate(rows.stream().map(Row::request).toList());
    } catch (RuntimeException e) {
      rows.forEach(row -> tell(row, null, e));
      return;
    }
    admitted.stepped(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      tell(rows.get(i), results.get(i), null);
    }
  }

  private void tell(Row row, DecodeResult result, RuntimeException cause) {
    admitted.told();
    if (result != null) {
      row.listener().done(result);
    } else {
      row.listener().failed(cause);
    }
  }

  @Override
  public void close() {
    IllegalStateException gone = new IllegalStateException("the decoder closed");
    admitted.close().forEach(r -> tell(r, null, gone));
  }
}
