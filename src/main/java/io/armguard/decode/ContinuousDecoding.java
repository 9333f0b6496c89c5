package io.armguard.decode;

/**
 * Decoding with requests joining and leaving at token boundaries, driven by one decode thread:
 * callers on any thread {@link #admit} requests, the decode thread calls {@link #iterate} over and
 * over, and each request's {@link Listener} hears its result on the decode thread as soon as its
 * row is done (not when its batch mates are).
 *
 * <p>Threading: {@link #admit}, {@link #rows} and {@link #stats} from any thread; {@link #iterate}
 * and {@link #close} from the decode thread only, which owns the engine's native state.
 */
public interface ContinuousDecoding extends AutoCloseable {

  /** Told of one request's outcome, once, on the decode thread. Must not block. */
  interface Listener {
    void done(DecodeResult result);

    /** The row was lost (its pass failed, or the decoder closed); other rows may be fine. */
    void failed(RuntimeException cause);
  }

  /**
   * Queues one request for the next {@link #iterate}.
   *
   * @param alone whether it must run in a batch of its own (to retry a request whose batch failed,
   *     so that one request the engine cannot serve cannot fail its batch mates again)
   * @throws IllegalArgumentException for a request the engine refuses (strategy not loaded, prompt
   *     beyond the context, bad sampling parameters): nothing is queued then
   */
  void admit(DecodeRequest request, boolean alone, Listener listener);

  /** Rows decoding or admitted and not yet done. */
  int rows();

  /**
   * Lets admitted requests join (up to the decoder's row limit) and runs one token step of every
   * row; finished rows' listeners are told before it returns.
   *
   * @return the number of rows stepped (0 when there was nothing to do)
   */
  int iterate();

  /** Steps run and rows stepped so far: their ratio is the mean batch size per step. */
  Stats stats();

  /** Fails every row still admitted or decoding ({@link Listener#failed}) and frees the state. */
  @Override
  void close();

  /**
   * @param steps token steps run (over every group of rows)
   * @param rowSteps rows stepped, summed over those steps
   */
  record Stats(long steps, long rowSteps) {
    public double meanRows() {
      return steps == 0 ? 0 : (double) rowSteps / steps;
    }
  }
}
