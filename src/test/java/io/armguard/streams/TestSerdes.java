package io.armguard.streams;

import io.armguard.schema.AuditRecord;
import io.armguard.schema.BufferedRequest;
import io.armguard.schema.Completion;
import io.armguard.schema.GenerationRequest;

/** The serdes the streams tests run the topology with. */
final class TestSerdes {

  private TestSerdes() {}

  static TopologySerdes create() {
    return new TopologySerdes(
        new SpecificAvroBinarySerde<GenerationRequest>(GenerationRequest.getClassSchema()),
        new SpecificAvroBinarySerde<Completion>(Completion.getClassSchema()),
        new SpecificAvroBinarySerde<AuditRecord>(AuditRecord.getClassSchema()),
        new SpecificAvroBinarySerde<BufferedRequest>(BufferedRequest.getClassSchema()));
  }
}
