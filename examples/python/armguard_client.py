#!/usr/bin/env python3
"""armguard from Python with confluent-kafka's schema_registry API (confluent-kafka 2.x:
SchemaRegistryClient, AvroSerializer / AvroDeserializer, SerializationContext, MessageField).

  pip install "confluent-kafka[avro]"
  armguard_client.py produce --bootstrap HOST:PORT --registry URL [--count N] [--prefix ID] [--no-register]
  armguard_client.py consume --bootstrap HOST:PORT --registry URL --count N [--timeout S]

`produce` writes N GenerationRequests (GENERATE and MODERATE in turn) to armguard.requests, keyed by
request id (a plain UTF-8 string), and prints each id; `consume` prints one JSON object per record of
armguard.completions and armguard.audit ({"topic", "key", "value"}) until it has N of each (exit 1 on
timeout). Kafka client settings (security) go in with -X KEY=VALUE, e.g.
-X security.protocol=SASL_SSL -X sasl.mechanism=SCRAM-SHA-512 -X sasl.username=... -X sasl.password=...;
the registry's basic auth comes from SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (USER:PASSWORD) if set.
"""
import argparse
import datetime
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas")


def request_schema():
    """GenerationRequest.avsc as one self-contained schema string: the named types it uses from
    common.avsc (Mode, Strategy) are inlined at their first use, as a schema string cannot
    reference other schemas."""
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

    return json.dumps(inline(schema))


def registry(args):
    conf = {"url": args.registry}
    user_info = os.environ.get("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO")
    if user_info:
        conf["basic.auth.user.info"] = user_info
    return SchemaRegistryClient(conf)


def client_conf(args, extra):
    conf = {"bootstrap.servers": args.bootstrap}
    for setting in args.X:
        key, _, value = setting.partition("=")
        conf[key] = value
    conf.update(extra)
    return conf


def produce(args):
    # With schemas registered ahead of time (auto.register.schemas=false on the service too), write
    # with the subject's latest version instead of registering this one.
    serializer_conf = (
        {"auto.register.schemas": False, "use.latest.version": True} if args.no_register else {}
    )
    value_serializer = AvroSerializer(registry(args), request_schema(), conf=serializer_conf)
    key_serializer = StringSerializer("utf_8")
    producer = Producer(client_conf(args, {"enable.idempotence": True}))
    failures = []

    def delivered(err, msg):
        if err is not None:
            failures.append(err)
            print("not delivered: %s" % err, file=sys.stderr)

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
            "created_at": now,  # timestamp-millis: a timezone-aware datetime
            "attributes": {"client": "confluent-kafka-python"},
        }
        producer.produce(
            topic=args.topic,
            key=key_serializer(rid),
            value=value_serializer(value, SerializationContext(args.topic, MessageField.VALUE)),
            on_delivery=delivered,
        )
        producer.poll(0)
        print(rid)
    remaining = producer.flush(30)
    return 0 if remaining == 0 and not failures else 1


def consume(args):
    # No reader schema: each record is read with the writer schema its id names in the registry.
    value_deserializer = AvroDeserializer(registry(args))
    consumer = Consumer(
        client_conf(
            args,
            {
                "group.id": "armguard-python-%d" % os.getpid(),
                "auto.offset.reset": "earliest",
                "enable.auto.commit": False,  # a reader, not a member that owns offsets
                "isolation.level": "read_committed",  # the outputs are written exactly once
            },
        )
    )
    consumer.subscribe([args.completions, args.audit])
    seen = {args.completions: 0, args.audit: 0}
    deadline = time.time() + args.timeout
    try:
        while time.time() < deadline and min(seen.values()) < args.count:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                print("consumer error: %s" % msg.error(), file=sys.stderr)
                continue
            value = value_deserializer(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
            key = msg.key().decode("utf-8") if msg.key() is not None else None
            seen[msg.topic()] += 1
            print(json.dumps({"topic": msg.topic(), "key": key, "value": value}, default=str, ensure_ascii=False))
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
        p.add_argument("-X", action="append", default=[], metavar="KEY=VALUE", help="Kafka client setting")
    sub.choices["produce"].add_argument("--prefix", default="py")
    sub.choices["produce"].add_argument("--topic", default="armguard.requests")
    sub.choices["produce"].add_argument(
        "--no-register", action="store_true", help="use the subject's latest registered schema"
    )
    sub.choices["consume"].add_argument("--timeout", type=float, default=120)
    sub.choices["consume"].add_argument("--completions", default="armguard.completions")
    sub.choices["consume"].add_argument("--audit", default="armguard.audit")
    args = parser.parse_args()
    return produce(args) if args.command == "produce" else consume(args)


if __name__ == "__main__":
    sys.exit(main())
