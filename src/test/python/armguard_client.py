#!/usr/bin/env python3
"""A second, independent client of armguard's topics: Debian's python3-confluent-kafka (1.7, legacy
confluent_kafka.avro API: CachedSchemaRegistryClient + MessageSerializer) with python3-avro. It produces GenerationRequests and consumes Completions and
AuditRecords through a broker and a Confluent-compatible schema registry, so armguard is checked against a
client it did not write. (Debian's 1.7 has no fastavro, so this test client keeps the legacy API; users
should start from examples/python/armguard_client.py, on the current schema_registry API.)

  armguard_client.py produce --bootstrap HOST:PORT --registry URL [--count N] [--prefix ID]
  armguard_client.py consume --bootstrap HOST:PORT --registry URL --count N [--timeout S]

`produce` prints the request ids it sent, one per line; `consume` prints one JSON object per record
({"topic", "key", "value"}) until it has N completions and N audit records (exit 1 on timeout).
"""
import argparse
import datetime
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer, avro
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "schemas")


def request_schema():
    """GenerationRequest.avsc with the named types of common.avsc inlined at first use, so the
    schema is self-contained (python-avro parses one document at a time)."""
    with open(os.path.join(SCHEMAS, "common.avsc")) as f:
        named = {"%s.%s" % (t["namespace"], t["name"]): t for t in json.load(f)}
    with open(os.path.join(SCHEMAS, "GenerationRequest.avsc")) as f:
        schema = json.load(f)
    defined = set()

    def inline(node):
        if isinstance(node, str):
            if node in named and node not in defined:
                defined.add(node)
                return named[node]
            return node
        if isinstance(node, list):
            return [inline(n) for n in node]
        if isinstance(node, dict):
            return {k: (inline(v) if k in ("type", "items", "values", "fields") else v) for k, v in node.items()}
        return node

    return avro.loads(json.dumps(inline(schema)))


def serializer(args):
    # armguard's keys are plain UTF-8 request ids and its values Confluent-framed Avro; the legacy
    # AvroProducer/AvroConsumer insist on Avro keys, so values go through the legacy MessageSerializer.
    return MessageSerializer(CachedSchemaRegistryClient({"url": args.registry}))


def produce(args):
    producer = Producer({"bootstrap.servers": args.bootstrap})
    codec = serializer(args)
    schema = request_schema()
    now = datetime.datetime.now(datetime.timezone.utc)
    for i in range(args.count):
        rid = "%s-%d" % (args.prefix, i)
        moderate = i % 2 == 1
        value = {
            "request_id": rid,
            "conversation_id": "python",
            "mode": "MODERATE" if moderate else "GENERATE",
            "prompt": "Tell me about your day." if moderate else "The weather today is",
            "response": "It was fine, thank you." if moderate else None,
            "strategy": None if moderate else "ARM",
            "max_new_tokens": 8,
            "top_k": None,
            "beta": None,
            "temperature": None,
            "seed": 1000 + i,
            "toxicity_threshold": None,
            "created_at": now,
            "attributes": {"client": "python3-confluent-kafka"},
        }
        payload = codec.encode_record_with_schema(args.topic, schema, value, is_key=False)
        producer.produce(topic=args.topic, key=rid.encode("utf-8"), value=payload)
        print(rid)
    if producer.flush(30) != 0:
        print("not every request was delivered", file=sys.stderr)
        return 1
    return 0


def consume(args):
    codec = serializer(args)
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap,
            "group.id": "armguard-python-%d" % os.getpid(),
            "auto.offset.reset": "earliest",
            "isolation.level": "read_committed",
        }
    )
    consumer.subscribe([args.completions, args.audit])
    seen = {args.completions: 0, args.audit: 0}
    deadline = time.time() + args.timeout
    try:
        while time.time() < deadline and min(seen.values()) < args.count:
            msg = consumer.poll(1.0)
            if msg is None or msg.error():
                continue
            seen[msg.topic()] += 1
            value = codec.decode_message(msg.value(), is_key=False)
            key = msg.key().decode("utf-8") if msg.key() is not None else None
            print(json.dumps({"topic": msg.topic(), "key": key, "value": value}, default=str))
            sys.stdout.flush()
    finally:
        consumer.close()
    return 0 if min(seen.values()) >= args.count else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("produce", "consume"):
        p = sub.add_parser(name)
        p.add_argument("--bootstrap", required=True)
        p.add_argument("--registry", required=True)
        p.add_argument("--count", type=int, default=4)
    sub.choices["produce"].add_argument("--prefix", default="py")
    sub.choices["produce"].add_argument("--topic", default="armguard.requests")
    sub.choices["consume"].add_argument("--timeout", type=float, default=120)
    sub.choices["consume"].add_argument("--completions", default="armguard.completions")
    sub.choices["consume"].add_argument("--audit", default="armguard.audit")
    args = parser.parse_args()
    return produce(args) if args.command == "produce" else consume(args)


if __name__ == "__main__":
    sys.exit(main())
