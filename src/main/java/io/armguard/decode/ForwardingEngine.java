package io.armguard.decode;

import java.util.Collection;
import java.util.List;

/**
 * A {@link GuidedEngine} that hands every call to another engine; subclasses override what they
 * change (a meter, a facade that routes decoding calls elsewhere). Threading and lifecycle are the
 * delegate's; {@link #close} closes it.
 */
public abstract class ForwardingEngine implements GuidedEngine {

  /** Where calls go; never null. */
  protected final GuidedEngine delegate;

  protected ForwardingEngine(GuidedEngine delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public List<DecodeResult> generate(List<DecodeRequest> batch) {
    return delegate.generate(batch);
  }

  @Override
  public List<PrefixScores> scorePrefixes(List<TextScoreRequest> batch) {
    return delegate.scorePrefixes(batch);
  }

  @Override
  public List<StreamScores> scoreStreams(List<StreamText> batch, Collection<String> forget) {
    return delegate.scoreStreams(batch, forget);
  }

  /** The delegate's own (token-level when it can): a forwarder adds nothing to decoding. */
  @Override
  public ContinuousDecoding continuous(int maxRows) {
    return delegate.continuous(maxRows);
  }

  @Override
  public boolean supports(Strategy strategy) {
    return delegate.supports(strategy);
  }

  @Override
  public List<String> labels() {
    return delegate.labels();
  }

  @Override
  public String steeringLabel() {
    return delegate.steeringLabel();
  }

  @Override
  public int countTokens(String text) {
    return delegate.countTokens(text);
  }

  @Override
  public int contextSize() {
    return delegate.contextSize();
  }

  @Override
  public String lmId() {
    return delegate.lmId();
  }

  @Override
  public String rewardId() {
    return delegate.rewardId();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
